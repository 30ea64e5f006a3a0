package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.CanaryTraffic;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.gate.Measurement.Outcome;
import dev.slipway.control.Control;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryPlannerTest {

  static GateStatus gate(CanaryWorld w, String name) {
    return w.status.gates.stream().filter(g -> g.name.equals(name)).reduce((a, b) -> b).orElseThrow();
  }

  /** Drives the standard canary to its gate step (step 3). */
  static CanaryWorld atGate() {
    CanaryWorld w = CanaryWorld.standard();
    w.reconcile();
    w.reconcile();
    w.advance(60);
    w.reconcile();
    assertThat(w.status.step).isEqualTo(2);
    return w;
  }

  @Test
  void canaryReplicasAreTheWeightOfTheStableSizeRoundedUpAndAtLeastOne() {
    assertThat(CanaryPlanner.canaryReplicas(4, 25)).isEqualTo(1);
    assertThat(CanaryPlanner.canaryReplicas(4, 2)).isEqualTo(1);
    assertThat(CanaryPlanner.canaryReplicas(10, 25)).isEqualTo(3);
    assertThat(CanaryPlanner.canaryReplicas(4, 100)).isEqualTo(4);
    assertThat(CanaryPlanner.canaryReplicas(4, 0)).isZero();
  }

  @Test
  void theFirstStepStartsCanariesOfWebAndWorkersButNotTheSchedulerAndLeavesStableAlone() {
    CanaryWorld w = CanaryWorld.standard();
    w.podsBecomeReady = false;
    Plan p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.Canary);
    assertThat(p.target()).as("stable Deployments untouched").isNull();
    assertThat(p.canary().replicas()).containsExactlyInAnyOrderEntriesOf(Map.of("web", 1, "celery", 1));
    assertThat(p.waitingOn()).contains("canary web (0/1 ready)");
    assertThat(w.status.step).isZero();
    assertThat(w.status.setWeight).isEqualTo(25);
  }

  @Test
  void aReadyCanaryMovesToTheTimedPauseAndAsksToBeWokenAtItsEnd() {
    CanaryWorld w = CanaryWorld.standard();
    w.reconcile();
    Plan p = w.reconcile();
    assertThat(w.status.step).isEqualTo(1);
    assertThat(p.waitingOn()).startsWith("the pause to end at");
    assertThat(p.canary().requeueAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(w.status.weight).as("1 of 5 web+celery pods... share of ready pods").isEqualTo(Math.round(100f * 2 / 8));
    w.advance(59);
    w.reconcile();
    assertThat(w.status.step).isEqualTo(1);
    w.advance(1);
    w.reconcile();
    assertThat(w.status.step).isEqualTo(2);
  }

  @Test
  void aGateMeasuresOneIntervalAfterItStartsAndPassesAfterCountSuccesses() {
    CanaryWorld w = atGate();
    assertThat(w.due()).isEmpty();
    w.advance(10);
    assertThat(w.due()).containsExactly(new Gates.GateRun("error-rate", 2));
    w.measure(0.001);
    w.advance(10);
    w.measure(0.002);
    assertThat(w.status.step).isEqualTo(2);
    assertThat(gate(w, "error-rate").measurements).isEqualTo(2);
    w.advance(10);
    w.measure(0.003);
    assertThat(gate(w, "error-rate").phase).isEqualTo("Successful");
    assertThat(gate(w, "error-rate").lastValue).isEqualTo(0.003);
    assertThat(gate(w, "error-rate").recent).hasSize(3);
    assertThat(w.status.step).as("at setWeight 50, waiting for the larger canary").isEqualTo(3);
    Plan p = w.reconcile();
    assertThat(w.status.step).as("50% ready, then the indefinite pause").isEqualTo(4);
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(p.waitingOn()).contains("pauses until promoted");
    assertThat(w.canaryReplicas("web")).isEqualTo(2);
  }

  @Test
  void aFailedMeasurementAbortsAtOnceNamingTheGateQueryValueAndCondition() {
    CanaryWorld w = atGate();
    w.advance(10);
    Plan p = w.measure(0.05);
    assertThat(p.reject()).isNotNull();
    assertThat(p.reject().reason()).isEqualTo("GateFailed");
    assertThat(p.reject().message()).contains("gate error-rate at step 3 failed", "last value 0.05",
        "query: errors{track=\"canary\"}", "condition: result < 0.01");
    assertThat(p.canary().replicas()).isEmpty();
    assertThat(p.canary().zeroOthers()).isTrue();
    assertThat(w.canaryReplicas("web")).isZero();
    assertThat(w.canaryReplicas("celery")).isZero();
    assertThat(w.status.phase).isEqualTo("Aborted");
    assertThat(gate(w, "error-rate").phase).isEqualTo("Failed");
  }

  @Test
  void anUnreachablePrometheusFailsClosedAfterTheErrorLimit() {
    CanaryWorld w = atGate();
    for (int i = 0; i < 3; i++) {
      w.advance(10);
      assertThat(w.measure(Outcome.Error).reject()).isNull();
    }
    w.advance(10);
    Plan p = w.measure(Outcome.Error);
    assertThat(p.reject().message()).contains("4 consecutive query errors", "connection refused");
  }

  @Test
  void noDataHoldsTheCanaryPausedThenAbortsAfterTheTimeout() {
    CanaryWorld w = atGate();
    w.advance(10);
    w.measure(Outcome.NoData);
    Plan held = w.reconcile();
    assertThat(held.stage()).isEqualTo(Stage.Paused);
    assertThat(held.waitingOn()).contains("gate error-rate is inconclusive");
    assertThat(w.status.phase).isEqualTo("Paused");
    w.advance(30);
    w.measure(Outcome.NoData);
    assertThat(w.lastPlan.reject()).isNull();
    w.advance(30);
    Plan p = w.measure(Outcome.NoData);
    assertThat(p.reject().message()).contains("no data for 60s (inconclusiveTimeout 60s)");
  }

  @Test
  void restartingCanaryPodsAbort() {
    CanaryWorld w = CanaryWorld.standard();
    w.reconcile();
    w.restarts.put("celery", 3);
    Plan p = w.reconcile();
    assertThat(p.reject().reason()).isEqualTo("PodHealth");
    assertThat(p.reject().message()).contains("a canary pod of celery restarted 3 times (maxRestarts 2)");
  }

  @Test
  void canaryPodsNotReadyPastTheReadyTimeoutAbort() {
    CanaryWorld w = CanaryWorld.standard();
    w.spec.podHealth.readyTimeout = "2m";
    w.podsBecomeReady = false;
    w.reconcile();
    Plan waiting = w.reconcile();
    assertThat(waiting.reject()).isNull();
    assertThat(waiting.canary().requeueAfter()).isEqualTo(Duration.ofMinutes(2));
    w.advance(120);
    Plan p = w.reconcile();
    assertThat(p.reject().message()).contains("canary pods not Ready for 120s (readyTimeout 2m)",
        "canary web (0/1 ready)");
  }

  @Test
  void manualPauseHoldsResumeContinuesPromoteSkipsTheStepAndAbortStops() {
    CanaryWorld w = CanaryWorld.standard();
    w.reconcile();
    Plan paused = w.reconcile(Map.of(), Control.PAUSE);
    assertThat(paused.stage()).isEqualTo(Stage.Paused);
    assertThat(w.status.step).isZero();
    assertThat(w.reconcile().stage()).as("a pause lasts").isEqualTo(Stage.Paused);
    w.reconcile(Map.of(), Control.RESUME);
    assertThat(w.status.step).isEqualTo(1);

    w.reconcile(Map.of(), Control.PROMOTE);
    assertThat(w.status.step).as("the timed pause skipped").isEqualTo(2);
    w.reconcile(Map.of(), Control.PROMOTE);
    assertThat(gate(w, "error-rate").phase).isEqualTo("Skipped");
    w.reconcile();
    assertThat(w.status.step).as("gate skipped; 50% reached; held at the indefinite pause").isEqualTo(4);

    Plan aborted = w.reconcile(Map.of(), Control.ABORT);
    assertThat(aborted.reject().reason()).isEqualTo("ManualAbort");
    assertThat(w.canaryReplicas("web")).isZero();
  }

  @Test
  void promoteFullRollsTheStableDeploymentsOutAndThenRemovesTheCanaries() {
    CanaryWorld w = CanaryWorld.standard();
    w.reconcile();
    Plan p = w.reconcile(Map.of(), Control.PROMOTE_FULL);
    assertThat(w.status.step).isEqualTo(6);
    assertThat(p.target()).isEqualTo("new");
    assertThat(p.canary().replicas()).as("canaries serve on while stable rolls").isNotEmpty();
    assertThat(w.status.phase).isEqualTo("Promoting");
    Plan done = w.reconcile();
    for (int i = 0; i < 5 && !done.promote(); i++) {
      assertThat(done.canary().replicas()).isNotEmpty();
      done = w.reconcile();
    }
    assertThat(done.promote()).isTrue();
    assertThat(done.canary().replicas()).isEmpty();
    assertThat(done.canary().zeroOthers()).isFalse();
    assertThat(w.canaries).isEmpty();
    assertThat(w.status.phase).isEqualTo("Promoted");
  }

  @Test
  void specPausedHoldsTheCanary() {
    CanaryWorld w = CanaryWorld.standard();
    w.specPaused = true;
    Plan p = w.reconcile();
    assertThat(p.stage()).isEqualTo(Stage.Paused);
    assertThat(p.waitingOn()).isEqualTo("spec.paused is true");
    assertThat(p.canary().replicas()).containsEntry("web", 0);
  }

  @Test
  void aBackgroundGateRunsFromTheCanarysFirstReadyPodsAndItsFailureAborts() {
    CanaryWorld w = CanaryWorld.standard();
    w.spec.backgroundGates = java.util.List.of("error-rate");
    w.podsBecomeReady = false;
    w.reconcile();
    w.advance(30);
    Plan starting = w.reconcile();
    assertThat(w.status.gates).as("nothing to measure while the canary's pods start").isEmpty();
    assertThat(w.due()).isEmpty();
    assertThat(starting.stage()).isEqualTo(Stage.Canary);
    assertThat(w.status.phase).as("no hold while the pods start").isEqualTo("Progressing");
    w.podsBecomeReady = true;
    w.reconcile();
    w.reconcile();
    assertThat(w.status.gates).singleElement().satisfies(g -> {
      assertThat(g.step).isNull();
      assertThat(g.startedAt).isEqualTo(w.now.toString());
    });
    assertThat(w.due()).as("the first measurement one interval after the pods are ready").isEmpty();
    w.advance(10);
    w.measure(0.001);
    w.advance(10);
    w.measure(0.001);
    w.advance(10);
    w.measure(0.001);
    assertThat(gate(w, "error-rate").phase).as("a background gate never finishes").isEqualTo("Running");
    w.advance(10);
    Plan p = w.measure(0.2);
    assertThat(p.reject().message()).contains("gate error-rate (background) failed")
        .as("the condition it failed, as a step's gate says it").doesNotContain("condition: null")
        .contains("condition: " + w.gates.get("error-rate").condition);
  }

  /** The standard canary with error-rate as a background gate, its first pods ready: the gate has started. */
  static CanaryWorld withBackgroundGateStarted() {
    CanaryWorld w = CanaryWorld.standard();
    w.spec.backgroundGates = java.util.List.of("error-rate");
    w.reconcile();
    w.reconcile();
    assertThat(w.status.gates).extracting(g -> g.name).containsExactly("error-rate");
    return w;
  }

  @Test
  void aBackgroundGateHoldsNothingUntilItsFirstDataAndTheCanaryAfterAGap() {
    CanaryWorld w = withBackgroundGateStarted();
    w.advance(10);
    w.measure(Outcome.NoData);
    assertThat(gate(w, "error-rate").phase).as("no series yet: not scraped").isEqualTo("Running");
    assertThat(gate(w, "error-rate").message).startsWith("waiting for the canary's first data: no data since");
    assertThat(w.status.phase).isEqualTo("Progressing");
    w.advance(10);
    w.measure(0.001);
    w.advance(10);
    Plan held = w.measure(Outcome.NoData);
    assertThat(gate(w, "error-rate").phase).as("a gap after data").isEqualTo("Inconclusive");
    assertThat(w.status.phase).isEqualTo("Paused");
    assertThat(held.waitingOn()).contains("background gate error-rate is inconclusive");
  }

  @Test
  void aBackgroundGateThatNeverSeesDataFailsAfterItsTimeout() {
    CanaryWorld w = withBackgroundGateStarted();
    Plan p = null;
    for (int i = 0; i < 7 && (p == null || p.reject() == null); i++) {
      w.advance(10);
      p = w.measure(Outcome.NoData);
    }
    assertThat(p.reject().message()).contains("gate error-rate (background) failed: no data for 60s");
  }

  @Test
  void aRestartedOperatorResumesTheSameStepWithItsGateHistory() {
    CanaryWorld w = atGate();
    w.advance(10);
    w.measure(0.001);
    // Status came back from the apiserver as JSON; nothing else is remembered.
    CanaryWorld restarted = CanaryWorld.standard();
    restarted.status = w.status;
    restarted.canaries.putAll(w.canaries);
    restarted.now = w.now.plusSeconds(3);
    assertThat(restarted.due()).as("not due again before its interval").isEmpty();
    restarted.reconcile();
    assertThat(restarted.status.step).isEqualTo(2);
    assertThat(gate(restarted, "error-rate").measurements).isEqualTo(1);
  }

  static CanaryWorld throughRoute(Integer canaryReplicas) {
    CanaryWorld w = CanaryWorld.standard();
    w.spec.traffic = new CanaryTraffic();
    w.spec.traffic.gatewayAPI = new CanaryTraffic.GatewayApiTraffic();
    w.spec.traffic.gatewayAPI.httpRoute = "shop";
    w.spec.traffic.gatewayAPI.canaryReplicas = canaryReplicas;
    return w;
  }

  @Test
  void throughARouteTheWebCanaryKeepsItsFixedSizeWhileWorkersFollowTheWeight() {
    CanaryWorld w = throughRoute(1);
    Plan p = w.reconcile();
    assertThat(p.canary().replicas()).containsExactlyInAnyOrderEntriesOf(Map.of("web", 1, "celery", 1));
    w.reconcile();
    w.advance(60);
    w.reconcile();
    w.measure(0.001);
    for (int i = 0; i < 3; i++) {
      w.advance(10);
      p = w.measure(0.001);
    }
    assertThat(w.status.setWeight).isEqualTo(50);
    assertThat(p.canary().replicas()).as("web: canaryReplicas; celery: 50% of 2")
        .containsExactlyInAnyOrderEntriesOf(Map.of("web", 1, "celery", 1));
    assertThat(w.status.weight).as("the route's weight, not the share of pods").isEqualTo(50);
    assertThat(p.canaryTrafficWeight()).isEqualTo(50);
  }

  @Test
  void throughARouteTrafficMovesOnlyOnceTheCanaryPodsAreReady() {
    CanaryWorld w = throughRoute(null);
    w.podsBecomeReady = false;
    Plan p = w.reconcile();
    assertThat(p.canaryTrafficWeight()).as("no pod ready yet").isZero();
    w.podsBecomeReady = true;
    p = w.reconcile();
    assertThat(p.canaryTrafficWeight()).as("still the pods observed before this reconcile").isZero();
    p = w.reconcile();
    assertThat(p.canaryTrafficWeight()).isEqualTo(25);
    assertThat(w.status.step).isEqualTo(1);
  }

  @Test
  void throughARouteAnAbortOrAPromotionSendsEverythingBackToStable() {
    CanaryWorld aborted = throughRoute(1);
    aborted.reconcile();
    assertThat(aborted.reconcile().canaryTrafficWeight()).isEqualTo(25);
    Plan abort = aborted.reconcile(Map.of(), Control.ABORT);
    assertThat(abort.reject()).isNotNull();
    assertThat(abort.canaryTrafficWeight()).isZero();

    CanaryWorld promoted = throughRoute(1);
    promoted.reconcile();
    promoted.reconcile();
    Plan full = promoted.reconcile(Map.of(), Control.PROMOTE_FULL);
    assertThat(full.canaryTrafficWeight()).as("stable rolls out while the canary keeps its share").isEqualTo(25);
    Plan done = promoted.reconcile();
    for (int i = 0; i < 5 && !done.promote(); i++) {
      assertThat(done.canaryTrafficWeight()).isEqualTo(25);
      done = promoted.reconcile();
    }
    assertThat(done.promote()).isTrue();
    assertThat(done.canaryTrafficWeight()).isZero();
  }
}
