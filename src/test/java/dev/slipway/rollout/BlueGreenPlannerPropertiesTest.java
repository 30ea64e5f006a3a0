package dev.slipway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.desired.Labels;
import dev.slipway.rollout.BlueGreenPlannerTest.World;
import dev.slipway.control.Control;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of blue-green over random runs — policies, time, gate results, manual requests, new releases, a
 * scheduler slow to stop — checked on the world after every reconcile.
 */
class BlueGreenPlannerPropertiesTest {

  record Policy(Integer previewReplicas, Integer autoPromotionSeconds, boolean preGate, boolean postGate,
      int scaleDownDelaySeconds) {}

  /** One thing that happens between reconciles. */
  record Event(int seconds, boolean gatePasses, Control control, boolean release, boolean schedulerStopsAtOnce) {}

  @Provide
  Arbitrary<Policy> policies() {
    return Combinators.combine(Arbitraries.of(1, 2).injectNull(0.5), Arbitraries.of(0, 30).injectNull(0.3),
        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(0, 30)).as(Policy::new);
  }

  @Provide
  Arbitrary<List<Event>> runs() {
    Arbitrary<Control> control = Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just((Control) null)),
        Tuple.of(1, Arbitraries.of(Control.class)));
    return Combinators.combine(Arbitraries.integers().between(0, 40),
            Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false))),
            control,
            Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))),
            Arbitraries.of(true, false))
        .as(Event::new).list().ofMinSize(1).ofMaxSize(50);
  }

  @Property(tries = 1000)
  void blueGreenKeepsItsPromises(@ForAll("policies") Policy policy, @ForAll("runs") List<Event> run) {
    World w = new World();
    w.spec.previewReplicas = policy.previewReplicas();
    w.spec.autoPromotionSeconds = policy.autoPromotionSeconds();
    w.spec.prePromotionGates = policy.preGate() ? List.of("smoke") : List.of();
    w.spec.postPromotionGates = policy.postGate() ? List.of("smoke") : List.of();
    w.spec.scaleDownDelaySeconds = policy.scaleDownDelaySeconds();
    int releases = 0;
    for (Event e : run) {
      w.advance(e.seconds());
      w.schedulerStopsAtOnce = e.schedulerStopsAtOnce();
      if (e.schedulerStopsAtOnce()) {
        // A scheduler asked to stop has stopped by now.
        for (String track : List.of(Labels.STABLE, Labels.PREVIEW)) {
          DeploymentState d = w.slots.get(track).get("scheduler");
          if (d != null && d.desiredReplicas() == 0) {
            w.slots.get(track).put("scheduler", RolloutPlannerTest.done(d.revision(), 0));
          }
        }
      }
      if (e.release()) {
        w.desired = "r" + (++releases);
      }
      if (e.control() != null) {
        w.reconcile(e.control(), java.util.Map.of());
      } else {
        w.measure(e.gatePasses() ? 0.001 : 0.5);
      }
      check(w);
    }
    Statistics.collect(w.status == null ? "none" : w.status.phase);
  }

  private static void check(World w) {
    String serving = BlueGreenPlanner.servingTrack(w.status);
    String other = BlueGreenPlanner.otherTrack(serving);
    // Never two schedulers, a stopping one included.
    long schedulers = List.of(Labels.STABLE, Labels.PREVIEW).stream()
        .map(t -> w.slots.get(t).get("scheduler")).filter(d -> d != null && d.replicas() > 0).count();
    assertThat(schedulers).as("slots running a scheduler").isLessThanOrEqualTo(1);
    // What the web Service selects always has every web pod available.
    DeploymentState web = w.slots.get(serving).get("web");
    assertThat(web != null && web.availableReplicas() == 2).as("serving slot %s web: %s", serving, web).isTrue();
    // Before its switch, a preview consumes no task.
    BlueGreenStatus s = w.status;
    boolean beforeSwitch = s != null && BlueGreenPlanner.running(s) && !"Switched".equals(s.phase);
    if (beforeSwitch) {
      assertThat(w.size(other, "celery")).as("preview workers").isZero();
      assertThat(w.size(other, "scheduler")).as("preview scheduler").isZero();
    }
  }
}
