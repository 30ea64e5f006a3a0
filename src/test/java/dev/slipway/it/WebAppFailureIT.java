package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.StartsEarly;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.Tracker;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failed migrations change nothing; failed components are rolled back once, and never retried. */
@ExtendWith(ClusterExtension.class)
@StartsEarly
class WebAppFailureIT {
  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  static WebApp shop(String name) {
    WebApp app = WebApps.sample("django-celery.yaml", name);
    app.getSpec().rollout.progressDeadlineSeconds = 10;
    return app;
  }

  static Map<String, String> revisions(KubernetesClient client, String namespace, String app) {
    return client.apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/name", app).list()
        .getItems().stream().collect(Collectors.toMap(d -> d.getMetadata().getName(),
            d -> d.getSpec().getTemplate().getMetadata().getLabels().get("slipway.dev/revision")));
  }

  @Test
  void aFailedMigrationChangesNoDeployment(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(shop("mig"));
    String stable = apps.awaitReady("mig").getStatus().stableRevision;
    Map<String, String> before = revisions(client, ns.name(), "mig");
    Map<String, Long> generations = client.apps().deployments().inNamespace(ns.name())
        .withLabel("app.kubernetes.io/name", "mig").list().getItems().stream()
        .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getMetadata().getGeneration()));

    apps.edit("mig", app -> {
      app.getSpec().image = "ghcr.io/example/shop:broken-migration";
      app.getSpec().podTemplate.labels.put("slipway.dev/test-crash", "true");
      return app;
    });
    WebApp stalled = apps.awaitStalled("mig");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("MigrationFailed");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("Job mig-migrate-" + stalled.getStatus().updateRevision + " failed").contains("BackoffLimitExceeded");
    assertThat(stalled.getStatus().phase).isEqualTo("Degraded");
    assertThat(stalled.getStatus().desiredRevisionRejected).isTrue();
    assertThat(stalled.getStatus().stableRevision).isEqualTo(stable);
    assertThat(stalled.getStatus().migration.phase).isEqualTo("Failed");
    assertThat(WebApps.isTrue(stalled, "Ready")).isFalse();
    assertThat(revisions(client, ns.name(), "mig")).isEqualTo(before);
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "mig").list()
        .getItems()).allSatisfy(d -> assertThat(d.getMetadata().getGeneration())
            .as("%s untouched", d.getMetadata().getName()).isEqualTo(generations.get(d.getMetadata().getName())));
  }

  @Test
  void aMigrationPastItsDeadlineChangesNoDeployment(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(shop("slow"));
    apps.awaitReady("slow");
    Map<String, String> before = revisions(client, ns.name(), "slow");
    apps.edit("slow", app -> {
      app.getSpec().image = "ghcr.io/example/shop:hanging-migration";
      app.getSpec().migrate.activeDeadlineSeconds = 5L;
      app.getSpec().podTemplate.labels.put("slipway.dev/test-not-ready", "true");
      return app;
    });
    WebApp stalled = apps.awaitStalled("slow");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("MigrationFailed");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getMessage()).contains("DeadlineExceeded");
    assertThat(revisions(client, ns.name(), "slow")).isEqualTo(before);
  }

  @Test
  void aWebThatNeverBecomesReadyIsRolledBackOnEveryComponent(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(shop("nr"));
    String stable = apps.awaitReady("nr").getStatus().stableRevision;
    try (Tracker<Pod> web = Tracker.pods(ns.name(), Map.of("app.kubernetes.io/name", "nr",
        "app.kubernetes.io/component", "web"))) {
      apps.edit("nr", app -> {
        app.getSpec().image = "ghcr.io/example/shop:never-ready";
        app.getSpec().web.podLabels = Map.of("slipway.dev/test-not-ready", "true");
        return app;
      });
      WebApp stalled = apps.awaitStalled("nr");
      String rejected = stalled.getStatus().updateRevision;
      assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getMessage()).contains("component web");
      assertThat(stalled.getStatus().desiredRevisionRejected).isTrue();
      assertThat(stalled.getStatus().rejectedRevision).isEqualTo(rejected);
      assertThat(stalled.getStatus().phase).isEqualTo("Degraded");
      assertThat(stalled.getStatus().history.get(0).outcome).isEqualTo("Rejected");

      // Workers had moved to the new revision before web; every component goes back to stable.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(revisions(client, ns.name(), "nr"))
          .containsOnly(Map.entry("nr-web", stable), Map.entry("nr-celery", stable),
              Map.entry("nr-scheduler", stable)));
      WebApp settled = apps.await("nr", Duration.ofSeconds(60), a -> a.getStatus().message.contains(
          "running stable revision " + stable));
      assertThat(settled.getStatus().components).allSatisfy(c -> {
        assertThat(c.revision).isEqualTo(stable);
        assertThat(c.availableReplicas).isEqualTo(c.replicas);
      });
      assertThat(web.min(PodStates::ready)).as("ready web pods: replicas 3 - maxUnavailable 1")
          .isGreaterThanOrEqualTo(2);

      // Not retried: nothing changes while the spec stays the same.
      Map<String, Long> generations = client.apps().deployments().inNamespace(ns.name())
          .withLabel("app.kubernetes.io/name", "nr").list().getItems().stream()
          .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getMetadata().getGeneration()));
      sleep(Duration.ofSeconds(12));
      for (Deployment d : client.apps().deployments().inNamespace(ns.name())
          .withLabel("app.kubernetes.io/name", "nr").list().getItems()) {
        assertThat(d.getMetadata().getGeneration()).isEqualTo(generations.get(d.getMetadata().getName()));
      }
      assertThat(apps.get("nr").getStatus().rejectedRevision).isEqualTo(rejected);

      // A fixed spec rolls out again.
      apps.edit("nr", app -> {
        app.getSpec().image = "ghcr.io/example/shop:fixed";
        app.getSpec().web.podLabels = null;
        return app;
      });
      WebApp fixed = apps.await("nr", Duration.ofMinutes(1), a -> WebApps.isTrue(a, "Ready")
          && !stable.equals(a.getStatus().stableRevision));
      assertThat(fixed.getStatus().desiredRevisionRejected).isFalse();
      assertThat(WebApps.condition(fixed, "Stalled").orElseThrow().getStatus()).isEqualTo("False");
    }
  }

  @Test
  void aCrashingWorkerIsRolledBackBeforeWebChanges(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(shop("crash"));
    String stable = apps.awaitReady("crash").getStatus().stableRevision;
    apps.edit("crash", app -> {
      app.getSpec().image = "ghcr.io/example/shop:crashing-worker";
      app.getSpec().workers.get(0).podLabels = Map.of("slipway.dev/test-crash", "true");
      return app;
    });
    WebApp stalled = apps.awaitStalled("crash");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getMessage()).contains("component celery");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(revisions(client, ns.name(), "crash"))
        .containsOnly(Map.entry("crash-web", stable), Map.entry("crash-celery", stable),
            Map.entry("crash-scheduler", stable)));
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("crash-web").get().getMetadata()
        .getGeneration()).as("web was never changed").isEqualTo(1L);
  }

  @Test
  void aFirstRevisionThatFailsStallsWithNothingToGoBackTo(TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = shop("first");
    app.getSpec().web.podLabels = Map.of("slipway.dev/test-not-ready", "true");
    apps.create(app);
    WebApp stalled = apps.awaitStalled("first");
    assertThat(stalled.getStatus().stableRevision).isNull();
    assertThat(stalled.getStatus().message).contains("there is no earlier revision to roll back to");
  }

  @Test
  void aSpecKubernetesRefusesIsRejectedWithTheApiserversWords(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(shop("refused"));
    String stable = apps.awaitReady("refused").getStatus().stableRevision;
    apps.edit("refused", app -> {
      app.getSpec().image = "ghcr.io/example/shop:1.1.0";
      app.getSpec().web.podLabels = Map.of("team", "not a valid label value!");
      return app;
    });
    WebApp stalled = apps.awaitStalled("refused");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("InvalidSpec");
    assertThat(stalled.getStatus().message).contains("the apiserver rejected Deployment refused-web")
        .contains("not a valid label value!");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(revisions(client, ns.name(), "refused"))
        .containsOnly(Map.entry("refused-web", stable), Map.entry("refused-celery", stable),
            Map.entry("refused-scheduler", stable)));
  }

  @Test
  void aQuantityKubernetesCannotParseIsRejectedWithTheApiserversWords(KubernetesClient client, TestNamespace ns) {
    // Found by the fuzzing campaign: the CRD takes any string as a quantity, and server-side apply answers a
    // 500 for it; the operator retried that forever and the app never got a verdict.
    WebApps apps = new WebApps(ns);
    apps.create(shop("quantity"));
    String stable = apps.awaitReady("quantity").getStatus().stableRevision;
    apps.edit("quantity", app -> {
      app.getSpec().workers.get(0).resources.getRequests().put("cpu", new Quantity("lots"));
      return app;
    });
    WebApp stalled = apps.awaitStalled("quantity");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("InvalidSpec");
    assertThat(stalled.getStatus().message).contains("the apiserver rejected Deployment quantity-celery")
        .contains("quantities must match");
    assertThat(revisions(client, ns.name(), "quantity")).containsOnly(Map.entry("quantity-web", stable),
        Map.entry("quantity-celery", stable), Map.entry("quantity-scheduler", stable));
  }

  @Test
  void aMissingPolicyStallsWithoutTouchingAnything(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("minimal.yaml", "nopolicy");
    app.getSpec().rollout = new dev.slipway.api.v1alpha1.RolloutSpec();
    app.getSpec().rollout.policyRef = new dev.slipway.api.v1alpha1.PolicyRef();
    app.getSpec().rollout.policyRef.name = "does-not-exist";
    apps.create(app);
    WebApp stalled = apps.awaitStalled("nopolicy");
    assertThat(WebApps.condition(stalled, "Stalled").orElseThrow().getReason()).isEqualTo("PolicyNotFound");
    assertThat(stalled.getStatus().message).contains("RolloutPolicy does-not-exist does not exist");
    assertThat(client.apps().deployments().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "nopolicy")
        .list().getItems()).isEmpty();

    // Creating the policy unblocks it: the policy informer maps it back to this WebApp.
    var policy = new dev.slipway.api.v1alpha1.RolloutPolicy();
    policy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("does-not-exist")
        .withNamespace(ns.name()).build());
    policy.setSpec(new dev.slipway.api.v1alpha1.RolloutPolicySpec());
    client.resource(policy).create();
    apps.awaitReady("nopolicy");
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anObjectWithAHugeFieldNameDoesNotBlindTheOperator(TestNamespace ns) throws Exception {
    // Found by the 10,000-document fuzzing run: a 65,536-character env name (which the apiserver accepts) puts a
    // JSON name of that length in the Job's managedFields; Jackson's 50,000-character default stopped the
    // operator's Job informer for good, and every later migration waited forever. A Job with such a name,
    // labelled as Slipway's so the operator's informer sees it, made with kubectl (the test's own client
    // could not read the answer either):
    java.nio.file.Path job = java.nio.file.Files.createTempFile("huge-name-job", ".yaml");
    java.nio.file.Files.writeString(job, """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: huge-name
          labels: {app.kubernetes.io/managed-by: slipway, app.kubernetes.io/name: intruder}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: example/app:1, env: [{name: %s, value: x}]}]
        """.formatted("E".repeat(60_000)));
    dev.slipway.testing.Commands.run(dev.slipway.testing.Commands.tool("kubectl"), "-n", ns.name(), "create", "-f",
        job.toString());
    // The operator still sees Jobs: a new app's migration completes and the app goes Ready.
    WebApps apps = new WebApps(ns);
    apps.create(shop("after-huge"));
    assertThat(apps.awaitReady("after-huge").getStatus().migration.phase).isEqualTo("Succeeded");
  }
}
