package dev.slipway.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.CanarySpec;
import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.GateStep;
import dev.slipway.api.v1alpha1.PauseStep;
import dev.slipway.api.v1alpha1.PrometheusQuery;
import dev.slipway.desired.Component;
import dev.slipway.desired.Specs;
import dev.slipway.gate.Measurement;
import dev.slipway.control.Control;
import dev.slipway.rollout.Gates.GateRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canary of the django-celery app (web 4, celery 2, one scheduler) driven through the real planners, with
 * the Deployment controller and Prometheus played by the test: each {@link #reconcile} feeds the planner what a
 * reconcile would observe, and the plan's canary sizes become the world's. Status goes through JSON between
 * reconciles, as it does through the apiserver.
 */
final class CanaryWorld {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final List<Component> COMPONENTS = Component.of(Specs.djangoCelery());

  final CanarySpec spec;
  final Map<String, GateSpec> gates = new LinkedHashMap<>();
  final Map<String, DeploymentState> stable = new HashMap<>();
  final Map<String, DeploymentState> canaries = new HashMap<>();
  final Map<String, Integer> restarts = new HashMap<>();
  CanaryStatus status;
  Instant now = T0;
  boolean specPaused;
  /** Canary pods become Ready as soon as they are asked for (false: they never do). */
  boolean podsBecomeReady = true;
  String rejected;
  Plan lastPlan;

  CanaryWorld(CanarySpec spec, GateSpec... gates) {
    this.spec = spec;
    for (GateSpec g : gates) {
      this.gates.put(g.name, g);
    }
    stable.put("celery", RolloutPlannerTest.done("old", 2));
    stable.put("web", RolloutPlannerTest.done("old", 4));
    stable.put("scheduler", RolloutPlannerTest.done("old", 1));
  }

  /** 25% → pause 1m → gate error-rate → 50% → indefinite pause → 100%, error-rate every 10s, 3 to pass. */
  static CanaryWorld standard() {
    CanarySpec spec = new CanarySpec();
    spec.steps = List.of(weight(25), pause("1m"), gate("error-rate"), weight(50), pause(null), weight(100));
    return new CanaryWorld(spec, gate("error-rate", "10s"));
  }

  static CanaryStep weight(int w) {
    CanaryStep s = new CanaryStep();
    s.setWeight = w;
    return s;
  }

  static CanaryStep pause(String duration) {
    CanaryStep s = new CanaryStep();
    s.pause = new PauseStep();
    s.pause.duration = duration;
    return s;
  }

  static CanaryStep gate(String... names) {
    CanaryStep s = new CanaryStep();
    s.gate = new GateStep();
    s.gate.metrics = List.of(names);
    return s;
  }

  static GateSpec gate(String name, String interval) {
    GateSpec g = new GateSpec();
    g.name = name;
    g.condition = "result < 0.01";
    g.interval = interval;
    g.inconclusiveTimeout = "1m";
    g.prometheus = new PrometheusQuery();
    g.prometheus.address = "http://prometheus:9090";
    g.prometheus.query = "errors{track=\"canary\"}";
    return g;
  }

  /** The gates whose measurement is due now. */
  List<GateRun> due() {
    return CanaryPlanner.due(status, "new", gates, now);
  }

  /** One reconcile with these measurements (for the gates now due) and this manual request. */
  Plan reconcile(Map<GateRun, Measurement> measured, Control control) {
    Plan plan = plan(measured, control);
    if (plan.reject() != null) {
      // As the reconciler does: record the rejection and carry out the rollback in the same reconcile.
      rejected = "new";
      Plan rollback = plan(measured, control);
      rollback.apply().forEach(name -> stable.put(name,
          RolloutPlannerTest.done(rollback.target(), stable.get(name).desiredReplicas())));
    }
    if (plan.canary() != null) {
      if (plan.canary().status() != null) {
        status = MAPPER.convertValue(MAPPER.valueToTree(plan.canary().status()), CanaryStatus.class);
      }
      act(plan.canary());
    }
    if (plan.target() != null && plan.target().equals("new")) {
      plan.apply().forEach(name -> stable.put(name, RolloutPlannerTest.done("new", stable.get(name).desiredReplicas())));
    }
    lastPlan = plan;
    return plan;
  }

  private Plan plan(Map<GateRun, Measurement> measured, Control control) {
    CanaryPlanner.Input canary = new CanaryPlanner.Input(spec, gates, status, measured,
        Map.of("error-rate", "errors{track=\"canary\"}"), control, now);
    return RolloutPlanner.plan(new RolloutPlanner.Input("new", "old", rejected, specPaused, false, COMPONENTS,
        List.of("celery", "web", "scheduler"), new Observed(Map.copyOf(stable), null, Map.copyOf(canaries),
            Map.copyOf(restarts)), canary, null));
  }

  Plan reconcile() {
    return reconcile(Map.of(), null);
  }

  /** Every due gate measured with this value. */
  Plan measure(double value) {
    Map<GateRun, Measurement> m = new HashMap<>();
    due().forEach(run -> m.put(run, new Measurement(now, value < 0.01 ? Measurement.Outcome.Successful
        : Measurement.Outcome.Failed, value, null)));
    return reconcile(m, null);
  }

  Plan measure(Measurement.Outcome outcome) {
    Map<GateRun, Measurement> m = new HashMap<>();
    due().forEach(run -> m.put(run, new Measurement(now, outcome, null,
        outcome == Measurement.Outcome.Error ? "connection refused" : null)));
    return reconcile(m, null);
  }

  void advance(long seconds) {
    now = now.plusSeconds(seconds);
  }

  int canaryReplicas(String name) {
    DeploymentState d = canaries.get(name);
    return d == null ? 0 : d.desiredReplicas();
  }

  private void act(Plan.CanaryPlan plan) {
    plan.replicas().forEach((name, replicas) -> canaries.put(name, podsBecomeReady
        ? RolloutPlannerTest.done("new", replicas)
        : new DeploymentState("new", true, replicas, replicas, replicas, 0, 0, false, null, null)));
    for (String name : List.copyOf(canaries.keySet())) {
      if (!plan.replicas().containsKey(name)) {
        if (plan.zeroOthers()) {
          canaries.put(name, RolloutPlannerTest.done("new", 0));
        } else {
          canaries.remove(name);
        }
      }
    }
  }
}
