package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.gate.Measurement.Outcome;
import dev.slipway.control.Control;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Invariants of the canary state machine over random runs: time, measurements, pod trouble, manual requests. */
class CanaryPlannerPropertiesTest {

  /** One thing that happens between reconciles. */
  record Event(int seconds, Outcome outcome, double value, boolean podsReady, int restarts, Control control) {}

  @Provide
  Arbitrary<List<Event>> runs() {
    Arbitrary<Control> control = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(30, Arbitraries.just((Control) null)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Control.class)));
    Arbitrary<Event> event = Combinators.combine(
        Arbitraries.integers().between(0, 90),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(Outcome.Successful)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(Outcome.class))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(19, Arbitraries.doubles().between(0, 0.0099).ofScale(4)),
            net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0.01, 0.5).ofScale(4))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.just(true)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(false))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(20, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 5))),
        control).as(Event::new);
    return event.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 1000)
  void theCanaryKeepsItsPromises(@ForAll("runs") List<Event> run) {
    CanaryWorld w = CanaryWorld.standard();
    int lastStep = 0;
    boolean manualSkip = false;
    for (Event e : run) {
      if (w.rejected != null || (w.status != null && "Promoted".equals(w.status.phase))) {
        break;
      }
      w.advance(e.seconds());
      w.podsBecomeReady = e.podsReady();
      w.restarts.put("web", e.restarts());
      manualSkip |= e.control() == Control.PROMOTE || e.control() == Control.PROMOTE_FULL;
      Map<Gates.GateRun, dev.slipway.gate.Measurement> measured = new java.util.HashMap<>();
      for (Gates.GateRun due : w.due()) {
        Double value = e.outcome() == Outcome.Successful || e.outcome() == Outcome.Failed ? e.value() : null;
        Outcome outcome = value == null ? e.outcome() : value < 0.01 ? Outcome.Successful : Outcome.Failed;
        measured.put(due, new dev.slipway.gate.Measurement(w.now, outcome, value, null));
      }
      Plan p = w.reconcile(measured, e.control());

      if (p.reject() != null) {
        assertThat(w.canaries.values()).as("an abort leaves no canary pod")
            .allSatisfy(d -> assertThat(d.desiredReplicas()).isZero());
        assertThat(w.stable.values()).as("an abort leaves (or puts back) stable at the stable revision")
            .allSatisfy(d -> assertThat(d.revision()).isEqualTo("old"));
        break;
      }
      if (p.stage() == Stage.Canary || p.stage() == Stage.Paused) {
        assertThat(p.target()).as("stable capacity is never touched during the canary steps").isNull();
        for (Map.Entry<String, Integer> c : p.canary().replicas().entrySet()) {
          assertThat(c.getKey()).isNotEqualTo("scheduler");
          int total = w.stable.get(c.getKey()).desiredReplicas();
          assertThat(c.getValue()).as("never more canary pods than the step asks")
              .isLessThanOrEqualTo(CanaryPlanner.canaryReplicas(total, w.status.setWeight));
        }
      }
      assertThat(w.status.step).as("no step runs twice").isGreaterThanOrEqualTo(lastStep);
      lastStep = w.status.step;
      if (w.status.step >= w.spec.steps.size()) {
        assertGatesPassed(w, manualSkip);
      }
    }
    Statistics.collect(w.rejected != null ? "aborted" : w.status == null ? "not started" : w.status.phase);
  }

  /** Promotion only after every gate of every gate step passed (or a person skipped it). */
  private static void assertGatesPassed(CanaryWorld w, boolean manualSkip) {
    List<CanaryStep> steps = w.spec.steps;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).gate == null) {
        continue;
      }
      int step = i;
      List<GateStatus> runs = w.status.gates.stream().filter(g -> Integer.valueOf(step).equals(g.step)).toList();
      if (manualSkip) {
        assertThat(runs).allSatisfy(g -> assertThat(g.phase).isIn("Successful", "Skipped"));
      } else {
        assertThat(runs).hasSize(steps.get(i).gate.metrics.size())
            .allSatisfy(g -> assertThat(g.phase).isEqualTo("Successful"));
      }
    }
  }
}
