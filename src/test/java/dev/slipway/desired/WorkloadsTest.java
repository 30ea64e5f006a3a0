package dev.slipway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.api.v1alpha1.PodTemplate;
import dev.slipway.api.v1alpha1.UpdateStrategy;
import dev.slipway.api.v1alpha1.WebAppSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  static Component component(WebAppSpec spec, String name) {
    return Component.of(spec).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  static Deployment deployment(WebAppSpec spec, String name) {
    return Workloads.deployment(Specs.OWNER, spec, component(spec, name), "rev1", Labels.STABLE,
        component(spec, name).replicas(), RollingSettings.DEFAULT);
  }

  @Test
  void componentsRollOutWorkersThenWebThenScheduler() {
    assertThat(Component.of(Specs.djangoCelery())).extracting(Component::name)
        .containsExactly("celery", "web", "scheduler");
  }

  @Test
  void oneVariablePerNameTheLastGivenWinsAsInAContainer() {
    WebAppSpec spec = Specs.djangoCelery();
    spec.env = List.of(new EnvVar("LOG_LEVEL", "warning", null), new EnvVar("REGION", "eu", null),
        new EnvVar("LOG_LEVEL", "info", null));
    component(spec, "celery").spec().env = List.of(new EnvVar("LOG_LEVEL", "debug", null));
    assertThat(deployment(spec, "celery").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(tuple("LOG_LEVEL", "debug"), tuple("REGION", "eu"));
    assertThat(deployment(spec, "web").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(tuple("LOG_LEVEL", "info"), tuple("REGION", "eu"));
  }

  @Test
  void webDeploymentHasTheUsersHealthCheckDefaults() {
    Deployment d = deployment(Specs.djangoCelery(), "web");
    assertThat(d.getMetadata().getName()).isEqualTo("shop-web");
    assertThat(d.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> {
          assertThat(o.getKind()).isEqualTo("WebApp");
          assertThat(o.getController()).isTrue();
        });
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getSelector().getMatchLabels()).containsOnlyKeys(
        "app.kubernetes.io/name", "app.kubernetes.io/component", "slipway.dev/track");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "shop")
        .containsEntry("app.kubernetes.io/component", "web")
        .containsEntry("app.kubernetes.io/managed-by", "slipway")
        .containsEntry("slipway.dev/revision", "rev1")
        .containsEntry("slipway.dev/track", "stable");
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(8000);
    });
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/");
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(30);
    assertThat(c.getReadinessProbe().getTimeoutSeconds()).isEqualTo(10);
    assertThat(c.getReadinessProbe().getFailureThreshold()).isEqualTo(3);
    // polls at 0, 10, 20, 30 and 40 s: the kubelet's first poll comes as the container starts
    assertThat(c.getStartupProbe().getPeriodSeconds() * (c.getStartupProbe().getFailureThreshold() - 1)).isEqualTo(40);
    assertThat(c.getLivenessProbe().getFailureThreshold()).isGreaterThan(c.getReadinessProbe().getFailureThreshold());
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(1));
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
  }

  @Test
  void everyWebCheckSendsTheHostHeaderAStockDjangoAccepts() {
    WebAppSpec spec = Specs.djangoCelery();
    Container c = deployment(spec, "web").getSpec().getTemplate().getSpec().getContainers().get(0);
    for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getHttpHeaders()).singleElement().satisfies(header -> {
        assertThat(header.getName()).isEqualTo("Host");
        assertThat(header.getValue()).isEqualTo("localhost");
      });
    }
    spec.web.health.host = "shop.internal:8000";
    assertThat(deployment(spec, "web").getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
        .getHttpGet().getHttpHeaders().get(0).getValue()).isEqualTo("shop.internal:8000");
    spec.web.health.host = "";
    assertThat(deployment(spec, "web").getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
        .getHttpGet().getHttpHeaders()).as("the kubelet's own Host: the pod IP").isNullOrEmpty();
  }

  @Test
  void aStoppingWebPodKeepsServingThroughItsDrainPauseWithinItsGracePeriod() {
    WebAppSpec spec = Specs.djangoCelery();
    var web = deployment(spec, "web").getSpec().getTemplate().getSpec();
    assertThat(web.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    assertThat(web.getTerminationGracePeriodSeconds()).as("30 s for the app after the 5 s pause").isEqualTo(35L);
    assertThat(deployment(spec, "celery").getSpec().getTemplate().getSpec().getContainers().get(0).getLifecycle())
        .as("workers drain by finishing their tasks").isNull();

    spec.web.drainSeconds = 0;
    var noPause = deployment(spec, "web").getSpec().getTemplate().getSpec();
    assertThat(noPause.getContainers().get(0).getLifecycle()).isNull();
    assertThat(noPause.getTerminationGracePeriodSeconds()).isEqualTo(30L);
  }

  @Test
  void workerGetsALongGracePeriodAndAnExecProbe() {
    WebAppSpec spec = Specs.djangoCelery();
    spec.workers.get(0).health = new dev.slipway.api.v1alpha1.ExecHealth();
    spec.workers.get(0).health.exec = List.of("celery", "inspect", "ping");
    Deployment d = deployment(spec, "celery");
    assertThat(d.getMetadata().getName()).isEqualTo("shop-celery");
    assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(600L);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("celery", "inspect", "ping");
    assertThat(c.getReadinessProbe()).isNull();
    assertThat(c.getPorts()).isNullOrEmpty();
    assertThat(c.getCommand()).containsExactly("celery", "-A", "shop", "worker");
  }

  @Test
  void schedulerIsAStopFirstSingleton() {
    Deployment d = deployment(Specs.djangoCelery(), "scheduler");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
  }

  @Test
  void podsMountingAClaimGoStopFirstUnlessToldOtherwise() {
    WebAppSpec spec = Specs.djangoCelery();
    spec.podTemplate = new PodTemplate();
    spec.podTemplate.volumes = List.of(new VolumeBuilder().withName("media")
        .withNewPersistentVolumeClaim().withClaimName("media").endPersistentVolumeClaim().build());
    spec.podTemplate.volumeMounts = List.of(new VolumeMountBuilder().withName("media").withMountPath("/media").build());
    assertThat(deployment(spec, "web").getSpec().getStrategy().getType()).isEqualTo("Recreate");
    spec.web.updateStrategy = UpdateStrategy.StartFirst;
    assertThat(deployment(spec, "web").getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
  }

  @Test
  void sharedPodSettingsReachEveryComponent() {
    WebAppSpec spec = Specs.djangoCelery();
    spec.podTemplate = new PodTemplate();
    spec.podTemplate.serviceAccountName = "shop";
    spec.podTemplate.labels.put("team", "payments");
    spec.podTemplate.labels.put("slipway.dev/track", "forged");
    for (String name : List.of("web", "celery", "scheduler")) {
      Deployment d = deployment(spec, name);
      assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("shop");
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "payments")
          .as("generated labels win").containsEntry("slipway.dev/track", "stable");
    }
  }

  @Test
  void noServiceLinksUnlessAsked() {
    WebAppSpec spec = Specs.djangoCelery();
    assertThat(Workloads.migrateJob(Specs.OWNER, spec, "rev1").getSpec().getTemplate().getSpec()
        .getEnableServiceLinks()).isFalse();
    for (String name : List.of("web", "celery", "scheduler")) {
      assertThat(deployment(spec, name).getSpec().getTemplate().getSpec().getEnableServiceLinks()).as(name).isFalse();
    }
    String revision = Revision.of(spec);
    spec.podTemplate = new PodTemplate();
    assertThat(Revision.of(spec)).as("unset, the field leaves a stored spec's revision as it was").isEqualTo(revision);
    spec.podTemplate.enableServiceLinks = true;
    assertThat(deployment(spec, "web").getSpec().getTemplate().getSpec().getEnableServiceLinks()).isTrue();
  }

  @Test
  void migrateJobRunsOnceWithItsDeadline() {
    Job job = Workloads.migrateJob(Specs.OWNER, Specs.djangoCelery(), "rev1");
    assertThat(job.getMetadata().getName()).isEqualTo("shop-migrate-rev1");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .containsExactly("python", "manage.py", "migrate");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "migrate");
  }

  @Test
  void theMigrationHasItsOwnEnvLabelsAndAnnotationsOverTheSharedOnes() {
    WebAppSpec spec = Specs.djangoCelery();
    spec.env = List.of(new EnvVar("DATABASE_USER", "shop_app", null), new EnvVar("DEBUG", "0", null));
    spec.podTemplate = new PodTemplate();
    spec.podTemplate.labels = Map.of("team", "payments");
    spec.podTemplate.annotations = Map.of("sidecar.istio.io/inject", "true", "owner", "payments");
    spec.migrate.env = List.of(new EnvVar("DATABASE_USER", "shop_owner", null));
    spec.migrate.podLabels = Map.of("db-access", "owner");
    spec.migrate.podAnnotations = Map.of("sidecar.istio.io/inject", "false");
    spec.envFrom = List.of(new EnvFromSourceBuilder().withNewConfigMapRef("shop-config", false).build());
    spec.migrate.envFrom = List.of(new EnvFromSourceBuilder().withNewSecretRef("shop-owner", false).build());

    var pod = Workloads.migrateJob(Specs.OWNER, spec, "rev1").getSpec().getTemplate();
    assertThat(pod.getSpec().getContainers().get(0).getEnvFrom()).as("the shared sources, then the migration's")
        .containsExactly(spec.envFrom.get(0), spec.migrate.envFrom.get(0));
    assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .as("the migration's DATABASE_USER replaces the shared one in place")
        .containsExactly(tuple("DATABASE_USER", "shop_owner"), tuple("DEBUG", "0"));
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments").containsEntry("db-access", "owner")
        .containsEntry("app.kubernetes.io/component", "migrate");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false")
        .containsEntry("owner", "payments");

    Container web = deployment(spec, "web").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(web.getEnv()).as("other components keep the shared env")
        .contains(new EnvVar("DATABASE_USER", "shop_app", null));
    assertThat(deployment(spec, "web").getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("db-access");
    assertThat(web.getEnvFrom()).as("only the shared sources").containsExactly(spec.envFrom.get(0));
  }

  @Test
  void aMigrationPodTheClusterTookAwayIsReplacedNotCountedAsAFailure() {
    var policy = Workloads.migrateJob(Specs.OWNER, Specs.djangoCelery(), "rev1").getSpec().getPodFailurePolicy();
    assertThat(policy.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getAction()).isEqualTo("Ignore");
      assertThat(rule.getOnPodConditions()).singleElement().satisfies(condition -> {
        assertThat(condition.getType()).isEqualTo("DisruptionTarget");
        assertThat(condition.getStatus()).isEqualTo("True");
      });
    });
  }

  @Test
  void snapshotRestoresTheSpec() {
    WebAppSpec spec = Specs.djangoCelery();
    WebAppSpec restored = Workloads.fromSnapshot(Workloads.snapshot(Specs.OWNER, spec, "rev1", 3));
    assertThat(Revision.of(restored)).isEqualTo(Revision.of(spec));
  }

  @Test
  void percentagesRoundLikeTheDeploymentController() {
    assertThat(RollingSettings.scaled(new IntOrString("25%"), 3, true)).isEqualTo(1);
    assertThat(RollingSettings.scaled(new IntOrString("25%"), 3, false)).isZero();
    assertThat(RollingSettings.scaled(new IntOrString(2), 3, false)).isEqualTo(2);
  }
}
