package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Canary traffic through a Gateway API HTTPRoute that belongs to the user, on the real apiserver with the
 * Gateway API CRDs installed: the weights at every step, one write per change, and nothing else in the route
 * touched.
 */
@ExtendWith(ClusterExtension.class)
class GatewayCanaryIT {
  static final ResourceDefinitionContext ROUTES = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
      .withNamespaced(true).build();
  static final String ROUTE_CRD = "httproutes.gateway.networking.k8s.io";

  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  static void policy(KubernetesClient client, TestNamespace ns, String name, String route, String steps) {
    String yaml = """
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: %s}
        spec:
          strategy: Canary
          canary:
            traffic: {gatewayAPI: {httpRoute: %s, canaryReplicas: 1}}
            steps: %s
        """.formatted(name, route, steps);
    client.resource(client.getKubernetesSerialization().unmarshal(yaml, RolloutPolicy.class)).inNamespace(ns.name())
        .create();
  }

  /** The user's route: /api to the app's web Service with a header filter, /docs to a Service of someone else. */
  static GenericKubernetesResource route(KubernetesClient client, TestNamespace ns, String name, String webService) {
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s}
        spec:
          parentRefs: [{name: public-gateway}]
          hostnames: [shop.example.com]
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {add: [{name: x-served-by, value: slipway-test}]}
            backendRefs: [{name: %s, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /docs}}]
            backendRefs: [{name: docs, port: 80}]
        """.formatted(name, webService);
    GenericKubernetesResource route = client.getKubernetesSerialization().unmarshal(yaml,
        GenericKubernetesResource.class);
    return client.genericKubernetesResources(ROUTES).inNamespace(ns.name()).resource(route).create();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules(GenericKubernetesResource route) {
    return (List<Map<String, Object>>) ((Map<String, Object>) route.getAdditionalProperties().get("spec")).get("rules");
  }

  /** "stable/canary" weights of the /api rule, e.g. "90/10"; "-" for a reference that is not there. */
  static String weights(GenericKubernetesResource route, String app) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refs = (List<Map<String, Object>>) rules(route).get(0).get("backendRefs");
    return weight(refs, app + "-web") + "/" + weight(refs, app + "-web-canary");
  }

  private static String weight(List<Map<String, Object>> refs, String name) {
    return refs.stream().filter(r -> name.equals(r.get("name"))).findFirst()
        .map(r -> String.valueOf(r.getOrDefault("weight", 1))).orElse("-");
  }

  /** The route's spec with the /api rule's backendRefs left out: what Slipway must never change. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> notManaged(GenericKubernetesResource route) {
    Map<String, Object> spec = new java.util.HashMap<>((Map<String, Object>) route.getAdditionalProperties().get("spec"));
    List<Map<String, Object>> rules = new ArrayList<>(rules(route));
    Map<String, Object> api = new java.util.HashMap<>(rules.get(0));
    api.remove("backendRefs");
    rules.set(0, api);
    spec.put("rules", rules);
    return spec;
  }

  /** Every version of a route written after the watch starts. */
  static final class RouteWrites implements AutoCloseable {
    final List<GenericKubernetesResource> versions = new CopyOnWriteArrayList<>();
    final Watch watch;

    RouteWrites(KubernetesClient client, TestNamespace ns, GenericKubernetesResource route) {
      watch = client.genericKubernetesResources(ROUTES).inNamespace(ns.name())
          .withName(route.getMetadata().getName())
          .withResourceVersion(route.getMetadata().getResourceVersion()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
              versions.add(resource);
            }

            @Override
            public void onClose(WatcherException cause) {}
          });
    }

    List<String> weights(String app) {
      return versions.stream().map(v -> GatewayCanaryIT.weights(v, app)).toList();
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  static WebApp app(String name) {
    WebApp app = CanaryIT.app(name, name);
    app.getSpec().web.replicas = 4;
    return app;
  }

  @Test
  void theRouteCarriesEachStepsWeightOnceItsPodsAreReadyAndNothingElseInItChanges(KubernetesClient client,
      TestNamespace ns) {
    policy(client, ns, "routed", "shop", "[{setWeight: 10}, {pause: {duration: 2s}}, {setWeight: 50}, {pause: {}}]");
    GenericKubernetesResource created = route(client, ns, "shop", "routed-web");
    WebApps apps = new WebApps(ns);
    apps.create(app("routed"));
    apps.awaitReady("routed");
    GenericKubernetesResource before = client.genericKubernetesResources(ROUTES).inNamespace(ns.name())
        .withName("shop").get();
    assertThat(before.getMetadata().getResourceVersion()).as("a first revision leaves the route alone")
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(client.services().inNamespace(ns.name()).withName("routed-web").get().getSpec().getSelector())
        .containsEntry("slipway.dev/track", "stable");
    assertThat(client.services().inNamespace(ns.name()).withName("routed-web-canary").get().getSpec().getSelector())
        .containsEntry("slipway.dev/track", "canary");

    try (RouteWrites writes = new RouteWrites(client, ns, before)) {
      CanaryIT.release(apps, "routed", "ghcr.io/example/hello:1.1.0");
      WebApp held = apps.await("routed", Duration.ofMinutes(2), a -> a.getStatus().canary != null
          && a.getStatus().canary.step == 3 && "Paused".equals(a.getStatus().canary.phase));
      assertThat(held.getStatus().canary.weight).isEqualTo(50);
      assertThat(writes.weights("routed")).containsExactly("90/10", "50/50");
      assertThat(CanaryIT.replicas(client, ns, "routed-web-canary")).as("canaryReplicas, whatever the weight")
          .isEqualTo(1);
      assertThat(CanaryIT.replicas(client, ns, "routed-celery-canary")).as("workers follow the weight: 50% of 2")
          .isEqualTo(1);

      CanaryIT.control(apps, "routed", "promote-full:1");
      WebApp promoted = apps.await("routed", Duration.ofMinutes(2), a -> WebApps.isTrue(a, "Ready")
          && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
      assertThat(promoted.getStatus().canary.phase).isEqualTo("Promoted");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(writes.weights("routed")).containsExactly("90/10", "50/50", "100/0"));
      assertThat(CanaryIT.replicas(client, ns, "routed-web-canary")).as("the canary is gone once promoted").isNull();
      assertThat(writes.versions).allSatisfy(v -> assertThat(notManaged(v)).isEqualTo(notManaged(before)));
    }
  }

  @Test
  void anAbortPutsEveryRequestBackOnStableInOneWrite(KubernetesClient client, TestNamespace ns) {
    policy(client, ns, "abort", "abort-route", "[{setWeight: 30}, {pause: {}}]");
    route(client, ns, "abort-route", "abort-web");
    WebApps apps = new WebApps(ns);
    apps.create(app("abort"));
    apps.awaitReady("abort");
    GenericKubernetesResource before = client.genericKubernetesResources(ROUTES).inNamespace(ns.name())
        .withName("abort-route").get();
    try (RouteWrites writes = new RouteWrites(client, ns, before)) {
      CanaryIT.release(apps, "abort", "ghcr.io/example/hello:1.1.0");
      await().atMost(Duration.ofMinutes(2)).until(() -> writes.weights("abort").contains("70/30"));
      CanaryIT.control(apps, "abort", "abort:1");
      WebApp stalled = apps.awaitStalled("abort");
      assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("ManualAbort");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(writes.weights("abort")).containsExactly("70/30", "100/0"));
      assertThat(CanaryIT.replicas(client, ns, "abort-web-canary")).isZero();
    }
  }

  @Test
  void aRouteThatCannotCarryTheCanaryStallsTheAppAndNothingChanges(KubernetesClient client, TestNamespace ns) {
    policy(client, ns, "lost", "no-such-route", "[{setWeight: 30}, {pause: {}}]");
    WebApps apps = new WebApps(ns);
    apps.create(app("lost"));
    WebApp stalled = apps.awaitStalled("lost");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("HTTPRouteNotFound");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("HTTPRoute no-such-route does not exist in namespace " + ns.name());
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "lost").list()
        .getItems()).isEmpty();

    // The route appears, but sends nothing to the app's web Service: seen without any edit to the WebApp.
    GenericKubernetesResource elsewhere = route(client, ns, "no-such-route", "somebody-else");
    WebApp stillStalled = apps.await("lost", Duration.ofSeconds(30), a -> WebApps.condition(a, "Stalled")
        .filter(c -> "HTTPRouteWithoutWebService".equals(c.getReason())).isPresent());
    assertThat(WebApps.condition(stillStalled, "Stalled").orElseThrow().getMessage())
        .contains("no rule of the route has the web Service lost-web as a backendRef");
    assertThat(client.genericKubernetesResources(ROUTES).inNamespace(ns.name()).withName("no-such-route").get()
        .getMetadata().getResourceVersion()).isEqualTo(elsewhere.getMetadata().getResourceVersion());
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "lost").list()
        .getItems()).isEmpty();
  }

  @Test
  void withoutTheGatewayApiTheAppStallsSayingSo(KubernetesClient client, TestNamespace ns) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition crd = crds.withName(ROUTE_CRD).get();
    crds.withName(ROUTE_CRD).delete();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> crds.withName(ROUTE_CRD).get() == null);
      policy(client, ns, "nogw", "shop", "[{setWeight: 30}, {pause: {}}]");
      WebApps apps = new WebApps(ns);
      apps.create(app("nogw"));
      WebApp stalled = apps.awaitStalled("nogw");
      assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("GatewayAPINotInstalled");
      assertThat(stalled.getStatus().message).contains("needs the Gateway API CRDs (HTTPRoute gateway.networking.k8s.io/v1)");
    } finally {
      crd.getMetadata().setResourceVersion(null);
      crd.getMetadata().setUid(null);
      crd.getMetadata().setManagedFields(null);
      crd.getMetadata().setCreationTimestamp(null);
      crd.setStatus(null);
      crds.resource(crd).create();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> crds.withName(ROUTE_CRD).get().getStatus()
          .getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    }
  }
}
