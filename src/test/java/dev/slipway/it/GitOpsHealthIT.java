package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.HealthReaders;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WebApp through its life, read by kstatus (Flux, Helm) and by Argo CD's health script. */
@ExtendWith(ClusterExtension.class)
class GitOpsHealthIT {
  @BeforeAll
  static void operator(TestNamespace ns) {
    OperatorProcess.of(ns);
  }

  @Test
  void everyPhaseReadsRightInKstatusAndArgoCd(TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.sample("django-celery.yaml", "life");
    app.getSpec().rollout.progressDeadlineSeconds = 15;
    apps.create(app);

    WebApp healthy = apps.awaitReady("life");
    assertThat(HealthReaders.kstatus(healthy)).startsWith("Current");
    assertThat(HealthReaders.argoCd(healthy)).startsWith("Healthy|revision " + healthy.getStatus().stableRevision);

    apps.edit("life", a -> {
      a.getSpec().paused = true;
      a.getSpec().image = "ghcr.io/example/shop:1.1.0";
      return a;
    });
    WebApp paused = apps.await("life", Duration.ofSeconds(30), a -> "Paused".equals(a.getStatus().phase));
    assertThat(HealthReaders.kstatus(paused)).startsWith("InProgress");
    assertThat(HealthReaders.argoCd(paused)).startsWith("Suspended|paused");

    apps.edit("life", a -> {
      a.getSpec().paused = false;
      a.getSpec().web.podLabels = Map.of("slipway.dev/test-not-ready", "true");
      return a;
    });
    WebApp progressing = apps.await("life", Duration.ofSeconds(30), a -> "Progressing".equals(a.getStatus().phase));
    assertThat(HealthReaders.kstatus(progressing)).startsWith("InProgress");
    assertThat(HealthReaders.argoCd(progressing)).startsWith("Progressing|rolling out revision");

    WebApp degraded = apps.awaitStalled("life");
    assertThat(HealthReaders.kstatus(degraded)).startsWith("Failed").contains("component web");
    assertThat(HealthReaders.argoCd(degraded)).startsWith("Degraded|revision " + degraded.getStatus().updateRevision
        + " was rejected");

    // A spec not yet observed is never reported healthy by either reader.
    WebApp unobserved = apps.get("life");
    unobserved.getMetadata().setGeneration(unobserved.getStatus().observedGeneration + 1);
    unobserved.getStatus().phase = "Healthy";
    assertThat(HealthReaders.kstatus(unobserved)).startsWith("InProgress");
    assertThat(HealthReaders.argoCd(unobserved)).startsWith("Progressing|Waiting for Slipway to observe");
  }
}
