package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRequestTest {
  @Test
  void verbsAndResourcesAreNamedAsTheApiserverNamesThem() {
    assertThat(ApiRequest.of("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", null))
        .isEqualTo(new ApiRequest("patch", "deployments"));
    assertThat(ApiRequest.of("PUT", "/apis/apps/v1/namespaces/shop/deployments/web/scale", null))
        .isEqualTo(new ApiRequest("update", "deployments/scale"));
    assertThat(ApiRequest.of("PATCH", "/apis/slipway.dev/v1alpha1/namespaces/shop/webapps/web/status", "fieldManager=x"))
        .isEqualTo(new ApiRequest("patch", "webapps/status"));
    assertThat(ApiRequest.of("GET", "/apis/apps/v1/deployments", "labelSelector=a&watch=true"))
        .isEqualTo(new ApiRequest("watch", "deployments"));
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/shop/pods", "labelSelector=a"))
        .isEqualTo(new ApiRequest("list", "pods"));
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/shop", null)).isEqualTo(new ApiRequest("get", "namespaces"));
    assertThat(ApiRequest.of("POST", "/api/v1/namespaces/shop/events", null))
        .isEqualTo(new ApiRequest("create", "events"));
    assertThat(ApiRequest.of("DELETE", "/apis/batch/v1/namespaces/shop/jobs/m", "propagationPolicy=Background"))
        .isEqualTo(new ApiRequest("delete", "jobs"));
    assertThat(ApiRequest.of("PUT", "/apis/coordination.k8s.io/v1/namespaces/default/leases/slipway", null).isWrite())
        .isTrue();
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/shop/pods/p", null).isWrite()).isFalse();
    assertThat(ApiRequest.of("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", null).isWrite())
        .isFalse();
  }
}
