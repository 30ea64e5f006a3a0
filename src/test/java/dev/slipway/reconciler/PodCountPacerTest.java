package dev.slipway.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ComponentStatus;
import dev.slipway.api.v1alpha1.WebAppStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodCountPacerTest {
  static final ResourceID APP = new ResourceID("shop", "ns");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static WebAppStatus status(String phase, int replicas, int ready) {
    WebAppStatus s = new WebAppStatus();
    s.phase = phase;
    ComponentStatus web = new ComponentStatus();
    web.name = "web";
    web.replicas = replicas;
    web.readyReplicas = ready;
    web.availableReplicas = ready;
    s.components = List.of(web);
    return s;
  }

  @Test
  void podCountsAloneWaitForTheIntervalAfterTheLastWrite() {
    PodCountPacer pacer = new PodCountPacer();
    assertThat(pacer.holdBack(APP, status("Progressing", 2, 0), status("Progressing", 2, 1), T0))
        .as("nothing written since the start: at once").isEmpty();
    pacer.written(APP, T0);
    assertThat(pacer.holdBack(APP, status("Progressing", 2, 1), status("Progressing", 2, 2), T0.plusSeconds(2)))
        .contains(Duration.ofSeconds(3));
    assertThat(pacer.holdBack(APP, status("Progressing", 2, 1), status("Progressing", 2, 2), T0.plusSeconds(5)))
        .isEmpty();
  }

  @Test
  void anythingElseIsWrittenAtOnce() {
    PodCountPacer pacer = new PodCountPacer();
    pacer.written(APP, T0);
    assertThat(pacer.holdBack(APP, status("Progressing", 2, 1), status("Healthy", 2, 2), T0.plusSeconds(1)))
        .as("a phase change").isEmpty();
    assertThat(pacer.holdBack(APP, status("Progressing", 2, 1), status("Progressing", 3, 1), T0.plusSeconds(1)))
        .as("a new size is not a pod count").isEmpty();
    assertThat(pacer.holdBack(APP, null, status("Progressing", 2, 1), T0.plusSeconds(1)))
        .as("the first status").isEmpty();
    assertThat(pacer.holdBack(new ResourceID("other", "ns"), status("Progressing", 2, 1),
        status("Progressing", 2, 2), T0.plusSeconds(1))).as("another app").isEmpty();
  }
}
