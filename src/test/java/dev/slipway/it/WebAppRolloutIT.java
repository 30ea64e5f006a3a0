package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.Tracker;
import dev.slipway.testing.WebApps;
import dev.slipway.testing.WorkloadTracker;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The django-celery app end to end: objects, order of a rollout, singleton scheduler, capacity. */
@ExtendWith(ClusterExtension.class)
class WebAppRolloutIT {
  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  static Map<String, String> component(String app, String component) {
    return Map.of("app.kubernetes.io/name", app, "app.kubernetes.io/component", component);
  }

  @Test
  void djangoCeleryRollsOutMigrationWorkersWebSchedulerInOrder(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.sample("django-celery.yaml"));
    WebApp ready = apps.awaitReady("shop");
    String first = ready.getStatus().stableRevision;
    assertThat(ready.getStatus().phase).isEqualTo("Healthy");
    assertThat(ready.getStatus().updateRevision).isEqualTo(first);
    assertThat(ready.getStatus().migration.phase).isEqualTo("Succeeded");

    var deployments = client.apps().deployments().inNamespace(ns.name());
    List<Deployment> shop = deployments.withLabel("app.kubernetes.io/name", "shop").list().getItems();
    assertThat(shop).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("shop-web", "shop-celery", "shop-scheduler");
    for (Deployment d : shop) {
      assertThat(d.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "slipway")
          .containsEntry("app.kubernetes.io/name", "shop").containsEntry("slipway.dev/revision", first)
          .containsEntry("slipway.dev/track", "stable");
      assertThat(d.getMetadata().getManagedFields()).anyMatch(f -> "slipway".equals(f.getManager()));
      assertThat(d.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
    }
    assertThat(deployments.withName("shop-scheduler").get().getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployments.withName("shop-celery").get().getSpec().getTemplate().getSpec()
        .getTerminationGracePeriodSeconds()).isEqualTo(600L);
    assertThat(client.services().inNamespace(ns.name()).withName("shop-web").get().getSpec().getSelector())
        .isEqualTo(component("shop", "web"));
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns.name())
        .withLabel("app.kubernetes.io/name", "shop").list().getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("shop-web", "shop-celery");

    try (WorkloadTracker workloads = new WorkloadTracker(ns.name());
        Tracker<Pod> schedulers = Tracker.pods(ns.name(), component("shop", "scheduler"));
        Tracker<Pod> web = Tracker.pods(ns.name(), component("shop", "web"));
        Tracker<ReplicaSet> webSets = Tracker.replicaSets(ns.name(), component("shop", "web"))) {
      apps.edit("shop", app -> {
        app.getSpec().image = "ghcr.io/example/shop:1.1.0";
        return app;
      });
      WebApp updated = apps.await("shop", Duration.ofMinutes(2), app -> WebApps.isTrue(app, "Ready")
          && !first.equals(app.getStatus().stableRevision));
      String second = updated.getStatus().stableRevision;

      long migrated = workloads.first("migrate", second, true).orElseThrow();
      long workersStart = workloads.first("celery", second, false).orElseThrow();
      long workersDone = workloads.first("celery", second, true).orElseThrow();
      long webStart = workloads.first("web", second, false).orElseThrow();
      long webDone = workloads.first("web", second, true).orElseThrow();
      long schedulerStart = workloads.first("scheduler", second, false).orElseThrow();
      assertThat(migrated).as("migration done before workers change").isLessThan(workersStart);
      assertThat(workersDone).as("workers rolled out before web changes").isLessThan(webStart);
      assertThat(webDone).as("web rolled out before the scheduler changes").isLessThan(schedulerStart);

      assertThat(schedulers.observations()).isGreaterThan(2);
      assertThat(schedulers.max(PodStates::running)).as("scheduler pods at once").isEqualTo(1);
      assertThat(web.min(PodStates::ready)).as("ready web pods (replicas 3 - maxUnavailable 1)")
          .isGreaterThanOrEqualTo(2);
      assertThat(webSets.maxOf(Tracker::specReplicas)).as("web replicas asked at once (replicas 3 + maxSurge 1)")
          .isLessThanOrEqualTo(4);
      assertThat(updated.getStatus().history).extracting(r -> r.revision + ":" + r.outcome)
          .containsExactly(second + ":Promoted", first + ":Promoted");
    }
  }

  @Test
  void pausedHoldsANewRevisionUntilResumed(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "pause");
    apps.create(app);
    String stable = apps.awaitReady("pause").getStatus().stableRevision;
    apps.edit("pause", a -> {
      a.getSpec().paused = true;
      a.getSpec().image = "ghcr.io/example/shop:1.1.0";
      return a;
    });
    WebApp paused = apps.await("pause", Duration.ofSeconds(30), a -> "Paused".equals(a.getStatus().phase));
    assertThat(WebApps.condition(paused, "Ready").orElseThrow().getReason()).isEqualTo("Paused");
    assertThat(WebApps.condition(paused, "Reconciling").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(client.batch().v1().jobs().inNamespace(ns.name())
        .withName("pause-migrate-" + paused.getStatus().updateRevision).get()).as("no migration while paused").isNull();
    assertThat(paused.getStatus().components).allSatisfy(c -> assertThat(c.revision).isEqualTo(stable));

    apps.edit("pause", a -> {
      a.getSpec().paused = false;
      return a;
    });
    WebApp resumed = apps.await("pause", Duration.ofMinutes(1), a -> WebApps.isTrue(a, "Ready"));
    assertThat(resumed.getStatus().stableRevision).isEqualTo(paused.getStatus().updateRevision);
  }

  @Test
  void scaleChangesDoNotStartARollout(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("minimal.yaml", "scale");
    apps.create(app);
    String revision = apps.awaitReady("scale").getStatus().stableRevision;
    apps.edit("scale", a -> {
      a.getSpec().web.replicas = 5;
      return a;
    });
    WebApp scaled = apps.await("scale", Duration.ofMinutes(1), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().components.stream().anyMatch(c -> c.name.equals("web") && c.availableReplicas == 5));
    assertThat(scaled.getStatus().stableRevision).isEqualTo(revision);
    assertThat(scaled.getStatus().history).hasSize(1);
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("scale-web").get().getSpec().getReplicas())
        .isEqualTo(5);
  }

  @Test
  void autoscaledReplicasAreLeftToTheAutoscaler(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("minimal.yaml", "auto");
    app.getSpec().web.autoscaling = new dev.slipway.api.v1alpha1.Autoscaling();
    app.getSpec().web.autoscaling.minReplicas = 2;
    app.getSpec().web.autoscaling.maxReplicas = 6;
    // The autoscaler targets a share of the CPU request; admission refuses autoscaling without one.
    app.getSpec().web.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m")).build();
    apps.create(app);
    apps.awaitReady("auto");
    var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).withName("auto-web").get();
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("auto-web");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);

    // Play the autoscaler: scale to 4, then roll out a new image; Slipway must keep the 4.
    client.apps().deployments().inNamespace(ns.name()).withName("auto-web").scale(4);
    apps.edit("auto", a -> {
      a.getSpec().image = "ghcr.io/example/hello:2.0.0";
      return a;
    });
    WebApp rolled = apps.await("auto", Duration.ofMinutes(1), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().history.size() == 2);
    assertThat(rolled.getStatus().components).singleElement().satisfies(c -> assertThat(c.replicas).isEqualTo(4));
  }

  @Test
  void aComponentMountingAClaimIsReplacedStopFirst(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("minimal.yaml", "media");
    app.getSpec().podTemplate = new dev.slipway.api.v1alpha1.PodTemplate();
    app.getSpec().podTemplate.volumes = List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("media")
        .withNewEmptyDir().endEmptyDir().build());
    app.getSpec().podTemplate.volumeMounts = List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName("media").withMountPath("/media").build());
    apps.create(app);
    apps.awaitReady("media");
    var deployments = client.apps().deployments().inNamespace(ns.name());
    assertThat(deployments.withName("media-web").get().getSpec().getStrategy().getType())
        .as("emptyDir is not a claim").isEqualTo("RollingUpdate");
    apps.edit("media", a -> {
      a.getSpec().podTemplate.volumes = List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("media")
          .withNewPersistentVolumeClaim().withClaimName("media").endPersistentVolumeClaim().build());
      return a;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deployments.withName("media-web").get().getSpec().getStrategy().getType()).isEqualTo("Recreate"));
  }
}
