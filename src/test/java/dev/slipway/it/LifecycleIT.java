package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.AuditLog;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WebApp's life: samples, kubectl, no-op economy, a crash mid-rollout, deletion. */
@ExtendWith(ClusterExtension.class)
class LifecycleIT {
  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  static final String KUBECTL = Commands.tool("kubectl");

  @Test
  void everySampleIsAppliedWithKubectlAndReachesReady(TestNamespace ns) throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(WebApps.samples())) {
      samples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(samples).isNotEmpty();
    for (Path sample : samples) {
      Commands.run(KUBECTL, "-n", ns.name(), "apply", "-f", sample.toString());
    }
    WebApps apps = new WebApps(ns);
    for (Path sample : samples) {
      try (InputStream in = Files.newInputStream(sample)) {
        for (HasMetadata item : Cluster.client().load(in).items()) {
          if (item instanceof WebApp app) {
            apps.awaitReady(app.getMetadata().getName());
          }
        }
      }
    }
    String waited = Commands.run(KUBECTL, "-n", ns.name(), "wait", "--for=condition=Ready", "webapp", "--all",
        "--timeout=60s");
    assertThat(waited).contains("condition met");
    String table = Commands.run(KUBECTL, "-n", ns.name(), "get", "wapp");
    assertThat(table.lines().findFirst().orElseThrow()).contains("PHASE", "REVISION", "READY", "AGE");
    assertThat(table).contains("Healthy");
    String events = Commands.run(KUBECTL, "-n", ns.name(), "get", "events",
        "--field-selector", "involvedObject.kind=WebApp", "-o", "custom-columns=REASON:.reason");
    assertThat(events).contains("Migrating", "RolledOut");
  }

  @Test
  void aReconcileWithNothingToDoMakesNoWrite(KubernetesClient client, TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "quiet");
    app.getSpec().web.autoscaling = new dev.slipway.api.v1alpha1.Autoscaling();
    app.getSpec().web.autoscaling.maxReplicas = 5;
    apps.create(app);
    apps.awaitReady("quiet");
    Thread.sleep(2000);
    Instant since = Instant.now();
    // A restart reconciles every WebApp from scratch: the most a no-op reconcile can be asked to do.
    OperatorProcess operator = OperatorProcess.of(ns);
    operator.kill();
    operator.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.metrics().lines()
        .anyMatch(l -> l.startsWith("operator_sdk_reconciliations_success_total") && l.contains("quiet")
            && !l.endsWith(" 0.0")));
    Thread.sleep(3000);
    assertThat(AuditLog.writes(AuditLog.OPERATOR_USER, ns.name(), since)).as("writes by the operator").isEmpty();
    assertThat(AuditLog.writes(AuditLog.OPERATOR_USER, ns.name(), Instant.EPOCH)).as("the audit log sees it")
        .isNotEmpty();
  }

  @Test
  void killedMidRolloutItResumesTheSameStepAndRerunsNothing(KubernetesClient client, TestNamespace ns)
      throws Exception {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "resume");
    apps.create(app);
    String stable = apps.awaitReady("resume").getStatus().stableRevision;

    apps.edit("resume", a -> {
      a.getSpec().image = "ghcr.io/example/shop:1.1.0";
      a.getSpec().web.podLabels = Map.of("slipway.dev/test-not-ready", "true");
      return a;
    });
    WebApp stuck = apps.await("resume", Duration.ofSeconds(60), a -> a.getStatus().rollout != null
        && "Web".equals(a.getStatus().rollout.stage));
    String revision = stuck.getStatus().updateRevision;
    String job = client.batch().v1().jobs().inNamespace(ns.name()).withName("resume-migrate-" + revision).get()
        .getMetadata().getUid();
    long workerGeneration = client.apps().deployments().inNamespace(ns.name()).withName("resume-celery").get()
        .getMetadata().getGeneration();

    OperatorProcess operator = OperatorProcess.of(ns);
    operator.kill();
    Instant restarted = Instant.now();
    operator.start();
    Thread.sleep(3000);
    WebApp after = apps.get("resume");
    assertThat(after.getStatus().rollout.stage).isEqualTo("Web");
    assertThat(after.getStatus().rollout.startedAt).isEqualTo(stuck.getStatus().rollout.startedAt);
    assertThat(after.getStatus().rollout.stageStartedAt).isEqualTo(stuck.getStatus().rollout.stageStartedAt);
    assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("resume-migrate-" + revision).get()
        .getMetadata().getUid()).as("the migration is not re-run").isEqualTo(job);
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("resume-celery").get().getMetadata()
        .getGeneration()).as("workers are not re-applied").isEqualTo(workerGeneration);
    // Status may still follow the Deployment controller's counts; nothing else may be written again.
    assertThat(AuditLog.writes(AuditLog.OPERATOR_USER, ns.name(), restarted))
        .as("writes after the restart").allMatch(w -> "status".equals(w.subresource()));

    // Play the kubelet: new web pods (the labelled template keeps making not-ready ones) become Ready.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      markReady(client, ns.name(), revision);
      return WebApps.isTrue(apps.get("resume"), "Ready");
    });
    WebApp done = apps.await("resume", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready"));
    assertThat(done.getStatus().stableRevision).isEqualTo(revision).isNotEqualTo(stable);
    assertThat(done.getStatus().history).extracting(r -> r.revision + ":" + r.outcome)
        .containsExactly(revision + ":Promoted", stable + ":Promoted");
  }

  static void markReady(KubernetesClient client, String namespace, String revision) {
    for (Pod pod : client.pods().inNamespace(namespace).withLabel("slipway.dev/revision", revision)
        .withLabel("app.kubernetes.io/component", "web").list().getItems()) {
      if (pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()
          || pod.getStatus().getContainerStatuses().get(0).getReady()) {
        continue;
      }
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
        for (PodCondition c : p.getStatus().getConditions()) {
          if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
            c.setStatus("True");
          }
        }
        p.getStatus().getContainerStatuses().forEach(cs -> cs.setReady(true));
        return p;
      });
    }
  }

  @Test
  void deletingAWebAppRemovesEverythingItCreated(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "gone");
    app.getSpec().web.autoscaling = new dev.slipway.api.v1alpha1.Autoscaling();
    app.getSpec().web.autoscaling.maxReplicas = 4;
    apps.create(app);
    apps.awaitReady("gone");
    Map<String, String> selector = Map.of("app.kubernetes.io/name", "gone");
    assertThat(client.apps().controllerRevisions().inNamespace(ns.name()).withLabels(selector).list().getItems())
        .isNotEmpty();
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).withLabels(selector)
        .list().getItems()).isNotEmpty();

    apps.api().inNamespace(ns.name()).withName("gone").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      String n = ns.name();
      assertThat(client.apps().deployments().inNamespace(n).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.apps().replicaSets().inNamespace(n).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.pods().inNamespace(n).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.batch().v1().jobs().inNamespace(n).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.services().inNamespace(n).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(n).withLabels(selector).list().getItems())
          .isEmpty();
      assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(n).withLabels(selector).list()
          .getItems()).isEmpty();
      assertThat(client.apps().controllerRevisions().inNamespace(n).withLabels(selector).list().getItems())
          .isEmpty();
    });
  }

  /** docs/upgrade-and-uninstall.md's way out of Slipway: the workloads stay, without their owner. */
  @Test
  void anOrphanDeletedWebAppLeavesItsWorkloadsRunning(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.sample("django-celery.yaml", "kept"));
    apps.awaitReady("kept");
    Map<String, String> selector = Map.of("app.kubernetes.io/name", "kept");
    List<String> deployments = client.apps().deployments().inNamespace(ns.name()).withLabels(selector).list()
        .getItems().stream().map(d -> d.getMetadata().getName()).sorted().toList();
    assertThat(deployments).contains("kept-web", "kept-celery", "kept-scheduler");

    Commands.run(KUBECTL, "-n", ns.name(), "delete", "webapp", "kept", "--cascade=orphan", "--wait=true");
    assertThat(apps.get("kept")).isNull();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.apps().deployments().inNamespace(ns.name()).withLabels(selector).list().getItems())
          .extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(deployments);
      assertThat(client.apps().deployments().inNamespace(ns.name()).withLabels(selector).list().getItems())
          .allSatisfy(d -> assertThat(d.getMetadata().getOwnerReferences()).as("owner of %s", d.getMetadata()
              .getName()).isNullOrEmpty());
      assertThat(client.services().inNamespace(ns.name()).withName("kept-web").get().getMetadata()
          .getOwnerReferences()).isNullOrEmpty();
    });
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("kept-web").get().getStatus()
        .getReadyReplicas()).as("still serving").isPositive();
  }
}
