package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.BlueGreenSpec;
import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.desired.Component;
import dev.slipway.desired.Labels;
import dev.slipway.desired.Specs;
import dev.slipway.gate.Measurement;
import dev.slipway.control.Control;
import dev.slipway.rollout.Gates.GateRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Blue-green of the django-celery app (web 2, celery 2, one scheduler) through the real planners, the
 * Deployment controller played by the test: every size a plan asks for is reached at once (pods Ready), and a
 * slot written at the desired revision runs it. Status goes through JSON between reconciles.
 */
class BlueGreenPlannerTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String STABLE = Labels.STABLE;
  static final String PREVIEW = Labels.PREVIEW;

  /** A world with the old revision serving from the stable slot, and nothing in the preview slot. */
  static final class World {
    final BlueGreenSpec spec = new BlueGreenSpec();
    final Map<String, GateSpec> gates = new LinkedHashMap<>();
    final Map<String, Map<String, DeploymentState>> slots = new HashMap<>();
    final List<Component> components = Component.of(Specs.djangoCelery());
    BlueGreenStatus status;
    Instant now = T0;
    String desired = "new";
    String stable = "old";
    String rejected;
    /** Scheduler pods take a while to stop: a scaled-down scheduler still has its pod until released. */
    boolean schedulerStopsAtOnce = true;
    Plan last;

    World() {
      slots.put(STABLE, new HashMap<>(Map.of("celery", RolloutPlannerTest.done("old", 2),
          "web", RolloutPlannerTest.done("old", 2), "scheduler", RolloutPlannerTest.done("old", 1))));
      slots.put(PREVIEW, new HashMap<>());
      gates.put("smoke", CanaryWorld.gate("smoke", "10s"));
    }

    Plan reconcile(Control control, Map<GateRun, Measurement> measured) {
      String serving = BlueGreenPlanner.servingTrack(status);
      Observed observed = new Observed(Map.copyOf(slots.get(serving)), null,
          Map.copyOf(slots.get(BlueGreenPlanner.otherTrack(serving))), Map.of());
      BlueGreenPlanner.Input input = new BlueGreenPlanner.Input(spec, gates, status, measured,
          Map.of("smoke", "up"), control, now);
      Plan plan = RolloutPlanner.plan(new RolloutPlanner.Input(desired, stable, rejected, false, false,
          components, List.of("celery", "web", "scheduler"), observed, null, input));
      if (plan.reject() != null) {
        rejected = desired;
      }
      if (plan.promote()) {
        stable = desired;
      }
      if (plan.blueGreen() != null) {
        status = MAPPER.convertValue(MAPPER.valueToTree(plan.blueGreen().status()), BlueGreenStatus.class);
        act(plan.blueGreen());
      }
      last = plan;
      return plan;
    }

    Plan reconcile() {
      return reconcile(null, Map.of());
    }

    Plan measure(double value) {
      Map<GateRun, Measurement> m = new HashMap<>();
      BlueGreenPlanner.due(status, desired, gates, now).forEach(run -> m.put(run, new Measurement(now,
          value < 0.01 ? Measurement.Outcome.Successful : Measurement.Outcome.Failed, value, null)));
      return reconcile(null, m);
    }

    void act(Plan.BlueGreenPlan plan) {
      plan.replicas().forEach((track, sizes) -> sizes.forEach((name, replicas) -> {
        DeploymentState before = slots.get(track).get(name);
        String revision = track.equals(plan.templateTrack()) ? desired : before == null ? null : before.revision();
        if (revision == null) {
          return;
        }
        boolean lingering = !schedulerStopsAtOnce && name.equals("scheduler") && replicas == 0 && before != null
            && before.replicas() > 0;
        slots.get(track).put(name, lingering
            ? new DeploymentState(revision, true, 0, 1, 0, 1, 1, false, null, null)
            : RolloutPlannerTest.done(revision, replicas));
      }));
    }

    int size(String track, String component) {
      DeploymentState d = slots.get(track).get(component);
      return d == null ? 0 : d.desiredReplicas();
    }

    String revision(String track, String component) {
      return slots.get(track).get(component).revision();
    }

    void advance(long seconds) {
      now = now.plusSeconds(seconds);
    }
  }

  @Test
  void thePreviewRunsWebOnlyBesideTheServingSlotAndWaitsForAPromotion() {
    World w = new World();
    w.spec.previewReplicas = 1;
    Plan p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.BlueGreen);
    assertThat(p.blueGreen().templateTrack()).isEqualTo(PREVIEW);
    assertThat(w.size(PREVIEW, "web")).isEqualTo(1);
    assertThat(w.revision(PREVIEW, "web")).isEqualTo("new");
    assertThat(w.size(PREVIEW, "celery")).isZero();
    assertThat(w.size(PREVIEW, "scheduler")).isZero();
    assertThat(w.revision(STABLE, "web")).isEqualTo("old");
    assertThat(w.size(STABLE, "celery")).isEqualTo(2);

    p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(p.waitingOn()).contains("slipway.dev/control: promote");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    assertThat(w.status.previewReadyAt).isEqualTo(T0.toString());
  }

  @Test
  void promotionGrowsThePreviewThenSwitchesInOneReconcileAndHandsTheWorkersAndSchedulerOver() {
    World w = new World();
    w.spec.previewReplicas = 1;
    w.schedulerStopsAtOnce = false;
    w.reconcile();
    w.reconcile();
    w.reconcile(Control.PROMOTE, Map.of());
    assertThat(w.status.phase).isEqualTo("Promoting");
    assertThat(w.size(PREVIEW, "web")).isEqualTo(2);
    assertThat(w.status.activeTrack).isEqualTo(STABLE);

    w.reconcile();
    assertThat(w.status.phase).isEqualTo("Switched");
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
    assertThat(w.status.previousTrack).isEqualTo(STABLE);
    // The new slot consumes, the old one drains; its web stays up for a switch back.
    assertThat(w.size(PREVIEW, "celery")).isEqualTo(2);
    assertThat(w.size(STABLE, "celery")).isZero();
    assertThat(w.size(STABLE, "web")).isEqualTo(2);
    // Never two schedulers: the old one has stopped being asked for, and still has its pod.
    assertThat(w.size(STABLE, "scheduler")).isZero();
    assertThat(w.size(PREVIEW, "scheduler")).isZero();
    assertThat(w.last.waitingOn()).contains("the old slot's scheduler to stop");

    w.slots.get(STABLE).put("scheduler", RolloutPlannerTest.done("old", 0));
    w.reconcile();
    assertThat(w.size(PREVIEW, "scheduler")).isEqualTo(1);
    assertThat(w.last.promote()).isFalse();
    assertThat(w.last.waitingOn()).contains("scale-down at " + T0.plusSeconds(30));
  }

  @Test
  void theOldSlotIsScaledToZeroAfterTheDelayAndTheRevisionBecomesStable() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.reconcile();
    w.reconcile();
    assertThat(w.status.phase).isEqualTo("Switched");
    w.advance(29);
    assertThat(w.reconcile().promote()).isFalse();
    assertThat(w.last.blueGreen().requeueAfter()).hasSeconds(1);
    w.advance(1);
    Plan p = w.reconcile();
    assertThat(p.promote()).isTrue();
    assertThat(w.status.phase).isEqualTo("Promoted");
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
    assertThat(w.status.previousTrack).isNull();
    assertThat(List.of(w.size(STABLE, "web"), w.size(STABLE, "celery"), w.size(STABLE, "scheduler")))
        .containsOnly(0);
    assertThat(List.of(w.size(PREVIEW, "web"), w.size(PREVIEW, "celery"), w.size(PREVIEW, "scheduler")))
        .containsExactly(2, 2, 1);
  }

  @Test
  void theNextRevisionPreviewsInTheSlotThatServedBefore() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.spec.scaleDownDelaySeconds = 0;
    w.reconcile();
    w.reconcile();
    assertThat(w.last.promote()).isFalse(); // the new slot's workers start, then its scheduler
    w.reconcile();
    assertThat(w.last.promote()).isFalse();
    w.reconcile();
    assertThat(w.last.promote()).isTrue();
    w.desired = "newer";
    w.reconcile();
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
    assertThat(w.last.blueGreen().templateTrack()).isEqualTo(STABLE);
    assertThat(w.revision(STABLE, "web")).isEqualTo("newer");
    assertThat(w.revision(PREVIEW, "web")).isEqualTo("new");
  }

  @Test
  void autoPromotionCountsFromThePreviewBeingReadyWithItsGatesPassed() {
    World w = new World();
    w.spec.autoPromotionSeconds = 60;
    w.spec.prePromotionGates = List.of("smoke");
    w.reconcile();
    w.reconcile();
    assertThat(w.last.waitingOn()).startsWith("prePromotionGate smoke");
    for (int i = 0; i < 3; i++) {
      w.advance(10);
      w.measure(0.001);
    }
    assertThat(w.status.prePromotionGates.get(0).phase).isEqualTo("Successful");
    Instant ready = w.now;
    assertThat(w.status.previewReadyAt).isEqualTo(ready.toString());
    assertThat(w.last.waitingOn()).isEqualTo("auto-promotion at " + ready.plusSeconds(60));
    w.advance(59);
    w.reconcile();
    assertThat(w.status.phase).isEqualTo("Previewing");
    w.advance(1);
    w.reconcile();
    // The preview already runs at full size (no previewReplicas): it switches at once.
    assertThat(w.status.phase).isEqualTo("Switched");
  }

  @Test
  void aFailingPrePromotionGateRejectsTheRevisionAndNothingServedChanges() {
    World w = new World();
    w.spec.prePromotionGates = List.of("smoke");
    w.reconcile();
    w.reconcile();
    w.advance(10);
    Plan p = w.measure(0.5);
    assertThat(p.reject().reason()).isEqualTo("GateFailed");
    assertThat(p.reject().message()).contains("prePromotionGate smoke failed");
    assertThat(w.status.phase).isEqualTo("Aborted");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    assertThat(w.size(PREVIEW, "web")).isZero();
    assertThat(List.of(w.size(STABLE, "web"), w.size(STABLE, "celery"), w.size(STABLE, "scheduler")))
        .containsExactly(2, 2, 1);
    // Rolled back: the slots stay as they are, reconcile after reconcile.
    p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.RolledBack);
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
  }

  @Test
  void aFailingPostPromotionGateSwitchesBackAndTheOldSchedulerWaitsForTheNewOneToStop() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.spec.postPromotionGates = List.of("smoke");
    w.reconcile();
    w.reconcile();
    w.reconcile();
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
    assertThat(w.size(PREVIEW, "scheduler")).isEqualTo(1);
    w.schedulerStopsAtOnce = false;
    w.advance(10);
    Plan p = w.measure(0.5);
    assertThat(p.reject().message()).contains("postPromotionGate smoke failed");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    assertThat(w.status.phase).isEqualTo("Aborted");
    assertThat(w.size(STABLE, "celery")).isEqualTo(2);
    assertThat(w.size(PREVIEW, "celery")).isZero();
    assertThat(w.size(PREVIEW, "web")).isZero();
    assertThat(w.size(STABLE, "scheduler")).isZero();

    w.slots.get(PREVIEW).put("scheduler", RolloutPlannerTest.done("new", 0));
    w.reconcile();
    assertThat(w.size(STABLE, "scheduler")).isEqualTo(1);
  }

  @Test
  void abortAfterTheSwitchIsASwitchBack() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.reconcile();
    w.reconcile();
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
    Plan p = w.reconcile(Control.ABORT, Map.of());
    assertThat(p.reject().reason()).isEqualTo("ManualAbort");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    assertThat(w.size(STABLE, "web")).isEqualTo(2);
  }

  @Test
  void aRevisionSupersededAfterItsSwitchHandsServingBackToTheStableSlot() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.reconcile();
    w.reconcile();
    assertThat(w.status.phase).isEqualTo("Switched");
    w.desired = "newer";
    w.reconcile();
    assertThat(w.status.revision).isEqualTo("newer");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    assertThat(w.size(STABLE, "celery")).isEqualTo(2);
    assertThat(w.revision(PREVIEW, "web")).isEqualTo("newer");
    assertThat(w.size(PREVIEW, "celery")).isZero();
  }

  @Test
  void theSameInputGivesTheSameDecisionSoARestartRepeatsRatherThanFlaps() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.reconcile();
    BlueGreenStatus before = MAPPER.convertValue(MAPPER.valueToTree(w.status), BlueGreenStatus.class);
    Map<String, Map<String, DeploymentState>> slots = new HashMap<>();
    w.slots.forEach((track, states) -> slots.put(track, new HashMap<>(states)));
    Plan first = w.reconcile();
    w.status = before;
    w.slots.clear();
    w.slots.putAll(slots);
    Plan again = w.reconcile();
    assertThat(again.blueGreen().replicas()).isEqualTo(first.blueGreen().replicas());
    assertThat((Object) MAPPER.valueToTree(again.blueGreen().status()))
        .isEqualTo(MAPPER.valueToTree(first.blueGreen().status()));
    assertThat(again.blueGreen().status().activeTrack).isEqualTo(PREVIEW);
  }

  @Test
  void promoteFullSkipsThePrePromotionGatesStillRunning() {
    World w = new World();
    w.spec.prePromotionGates = List.of("smoke");
    w.reconcile();
    w.reconcile();
    assertThat(w.status.prePromotionGates.get(0).phase).isEqualTo("Running");
    w.reconcile(Control.PROMOTE, Map.of());
    assertThat(w.status.activeTrack).isEqualTo(STABLE); // promote waits for the gates
    w.reconcile(Control.PROMOTE_FULL, Map.of());
    assertThat(w.status.prePromotionGates.get(0).phase).isEqualTo("Skipped");
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
  }

  @Test
  void aManualPauseHoldsAnAutoPromotionUntilResumed() {
    World w = new World();
    w.spec.autoPromotionSeconds = 10;
    w.reconcile(Control.PAUSE, Map.of());
    w.reconcile();
    w.advance(60);
    Plan p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
    w.reconcile(Control.RESUME, Map.of());
    assertThat(w.status.activeTrack).isEqualTo(PREVIEW);
  }

  @Test
  void aPreviewPastItsProgressDeadlineIsRejected() {
    World w = new World();
    w.slots.get(PREVIEW).put("web", new DeploymentState("new", true, 2, 2, 2, 0, 0, true, "quota exceeded", null));
    Plan p = w.reconcile();
    assertThat(p.reject().reason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(p.reject().message()).contains("preview of web");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
  }

  @Test
  void aPrePromotionGateWithoutDataHoldsThePreview() {
    World w = new World();
    w.spec.autoPromotionSeconds = 0;
    w.spec.prePromotionGates = List.of("smoke");
    w.reconcile();
    w.reconcile();
    w.advance(10);
    Map<GateRun, Measurement> noData = new HashMap<>();
    BlueGreenPlanner.due(w.status, w.desired, w.gates, w.now).forEach(run -> noData.put(run,
        new Measurement(w.now, Measurement.Outcome.NoData, null, null)));
    Plan p = w.reconcile(null, noData);
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(p.waitingOn()).startsWith("prePromotionGate smoke is inconclusive");
    assertThat(w.status.activeTrack).isEqualTo(STABLE);
  }
}
