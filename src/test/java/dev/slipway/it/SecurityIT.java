package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PodSecurity;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Generated pods pass `restricted` Pod Security when the podTemplate allows it; secrets never leak. */
@ExtendWith(ClusterExtension.class)
@PodSecurity("restricted")
class SecurityIT {
  static final String SECRET_VALUE = "s3cr3t-Value-that-must-not-leak";

  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  @Test
  void everyGeneratedPodPassesRestrictedPodSecurity(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.sample("django-celery.yaml", "strict"));
    WebApp ready = apps.awaitReady("strict");
    assertThat(ready.getStatus().components).allSatisfy(c -> assertThat(c.availableReplicas).isEqualTo(c.replicas));
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "strict").list().getItems())
        .extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .contains("web", "celery", "scheduler", "migrate");

    // The same namespace really enforces: a podTemplate without a security context gets no pod at all.
    apps.create(WebApps.sample("minimal.yaml", "lax"));
    WebApp lax = apps.await("lax", java.time.Duration.ofSeconds(30), a -> "Progressing".equals(a.getStatus().phase)
        && a.getStatus().message.contains("violates PodSecurity"));
    org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(5)).atMost(java.time.Duration.ofSeconds(10))
        .until(() -> client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "lax").list()
            .getItems().isEmpty());
    assertThat(WebApps.isTrue(apps.get("lax"), "Ready")).isFalse();
    assertThat(lax.getStatus().message).contains("waiting for web (").contains("restricted");
  }

  @Test
  void secretValuesNeverReachLogsEventsOrStatus(KubernetesClient client, TestNamespace ns) throws Exception {
    client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("shop-secrets")
        .endMetadata().addToStringData("DJANGO_SECRET_KEY", SECRET_VALUE).build()).create();
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "secretive");
    app.getSpec().env = new ArrayList<>(app.getSpec().env);
    app.getSpec().env.add(new EnvVarBuilder().withName("DJANGO_SECRET_KEY").withNewValueFrom()
        .withNewSecretKeyRef("DJANGO_SECRET_KEY", "shop-secrets", false).endValueFrom().build());
    app.getSpec().envFrom = List.of(new EnvFromSourceBuilder().withNewSecretRef("shop-secrets", false).build());
    apps.create(app);
    apps.awaitReady("secretive");
    apps.edit("secretive", a -> {
      a.getSpec().image = "ghcr.io/example/shop:1.1.0";
      return a;
    });
    WebApp rolled = apps.await("secretive", java.time.Duration.ofMinutes(1),
        a -> WebApps.isTrue(a, "Ready") && a.getStatus().history.size() == 2);

    assertThat(client.getKubernetesSerialization().asJson(rolled.getStatus())).doesNotContain(SECRET_VALUE);
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(SECRET_VALUE));
    try (Stream<Path> logs = Files.list(Path.of("target", "operator-logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(SECRET_VALUE);
      }
    }
  }
}
