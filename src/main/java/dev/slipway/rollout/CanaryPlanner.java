package dev.slipway.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.CanarySpec;
import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.CanaryStep;
import dev.slipway.api.v1alpha1.CanaryTraffic;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.control.Control;
import dev.slipway.desired.Component;
import dev.slipway.gate.GateSettings;
import dev.slipway.gate.GateVerdict;
import dev.slipway.gate.GoDuration;
import dev.slipway.gate.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a canary through its steps. Pure: from the last canary status, what the informers see, the
 * measurements just taken and the clock, it decides the canary's size and its next status. Because every
 * fact it needs is in status, a restarted operator resumes the same step with the same gate history.
 *
 * <p>Order of checks: a manual request, then anything that aborts (a failed gate, unhealthy canary pods, a
 * missed deadline), and only then progress through the steps, so a failing canary never advances.
 */
public final class CanaryPlanner {
  private CanaryPlanner() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Requests made through the slipway.dev/control annotation. */
  public enum Phase { Progressing, Paused, Promoting, Promoted, Aborted }

  /**
   * @param gates the policy's gates by name
   * @param previous the canary status of the last reconcile (possibly of another revision), or null
   * @param measured measurements taken in this reconcile, for the gates {@link #due} named
   * @param queries gate name → its query with placeholders filled, for status and messages
   * @param control a new manual request, or null
   */
  public record Input(CanarySpec spec, Map<String, GateSpec> gates, CanaryStatus previous,
      Map<Gates.GateRun, Measurement> measured, Map<String, String> queries, Control control, Instant now) {}

  /**
   * @param promoting every step is done: the stable Deployments take the new revision
   * @param hold why the canary holds (Paused), or null
   */
  public record Decision(CanaryStatus status, Map<String, Integer> replicas, Plan.Rejection abort, boolean promoting,
      String hold, String waitingOn, Duration requeueAfter) {}

  /** The gates whose next measurement is due: one interval after their last measurement, or their start. */
  public static List<Gates.GateRun> due(CanaryStatus status, String desired, Map<String, GateSpec> gates, Instant now) {
    if (status == null || !desired.equals(status.revision) || !Phase.Progressing.name().equals(status.phase)
        && !Phase.Paused.name().equals(status.phase)) {
      return List.of();
    }
    return Gates.due(status.gates, gates, now);
  }

  public static Decision decide(String desired, List<Component> components, Observed observed, boolean specPaused,
      Input in) {
    CanaryStatus s = resume(in.previous(), desired, in.spec(), in.now());
    List<CanaryStep> steps = in.spec().steps;
    s.steps = steps.size();
    Gates.record(s.gates, in.measured(), in.queries());

    if (in.control() != null) {
      switch (in.control()) {
        case PAUSE -> s.manualPause = true;
        case RESUME -> s.manualPause = false;
        case ABORT -> {
          return abort(s, "ManualAbort", "aborted by request (slipway.dev/control) at step " + (s.step + 1) + " of "
              + steps.size());
        }
        case PROMOTE -> skipTo(s, s.step + 1, in.now());
        case PROMOTE_FULL -> skipTo(s, steps.size(), in.now());
      }
    }

    for (GateStatus g : s.gates) {
      if (!Gates.skipIfRemoved(g, in.gates()) && Gates.measuring(g)) {
        GateVerdict v = Gates.judge(g, settings(g, in), in.now());
        boolean background = g.step == null;
        // Background gates are started before any step names them; the policy holds their condition.
        g.condition = in.gates().get(g.name).condition;
        if (background && v.phase() == GateVerdict.Phase.Successful) {
          g.phase = GateVerdict.Phase.Running.name(); // it measures until promotion
        }
        if (background && v.phase() == GateVerdict.Phase.Inconclusive && g.passed + g.failures == 0) {
          // Its pods are ready (startBackgroundGates), but their series appear only once Prometheus has scraped
          // them after their first requests: that first silence holds nothing. Slipway knows they are scraped
          // when the query first answers; inconclusiveTimeout still runs, so a gate that never sees data fails.
          g.phase = GateVerdict.Phase.Running.name();
          g.message = "waiting for the canary's first data: " + v.reason();
        }
        if (v.phase() == GateVerdict.Phase.Failed) {
          return abort(s, "GateFailed", "gate " + g.name + (background ? " (background)" : " at step " + (g.step + 1))
              + " failed: " + v.reason() + "; query: " + g.query + "; condition: " + g.condition);
        }
      }
    }

    Map<String, Integer> replicas = replicas(components, observed, s.setWeight, in.spec());
    Optional<Plan.Rejection> unhealthy = podHealth(s, in, desired, observed, replicas);
    if (unhealthy.isPresent()) {
      return abort(s, unhealthy.get().reason(), unhealthy.get().message());
    }

    String hold = null;
    String waitingOn = null;
    Instant wakeAt = null;
    while (s.step < steps.size()) {
      CanaryStep step = steps.get(s.step);
      if (specPaused || s.manualPause) {
        hold = specPaused ? "spec.paused is true" : "paused by request (slipway.dev/control: resume to continue)";
        break;
      }
      if (step.setWeight != null) {
        s.setWeight = step.setWeight;
        replicas = replicas(components, observed, s.setWeight, in.spec());
        waitingOn = notReady(desired, observed, replicas);
        if (waitingOn != null) {
          break;
        }
        startBackgroundGates(s, in);
      } else if (step.pause != null) {
        if (step.pause.duration == null) {
          hold = "step " + (s.step + 1) + " pauses until promoted (slipway.dev/control: promote)";
          break;
        }
        Instant end = Instant.parse(s.stepStartedAt).plus(GoDuration.parse(step.pause.duration));
        if (in.now().isBefore(end)) {
          waitingOn = "the pause to end at " + end;
          wakeAt = end;
          break;
        }
      } else {
        List<GateStatus> gates = startGates(s, step, in);
        Optional<GateStatus> inconclusive = gates.stream()
            .filter(g -> GateVerdict.Phase.Inconclusive.name().equals(g.phase)).findFirst();
        if (inconclusive.isPresent()) {
          hold = "gate " + inconclusive.get().name + " is inconclusive: " + inconclusive.get().message;
          break;
        }
        List<GateStatus> running = gates.stream()
            .filter(g -> !GateVerdict.Phase.Successful.name().equals(g.phase)).toList();
        if (!running.isEmpty()) {
          GateStatus g = running.get(0);
          waitingOn = "gate " + g.name + " (" + Gates.progress(g, in.gates().get(g.name)) + ")";
          break;
        }
      }
      skipTo(s, s.step + 1, in.now());
    }
    if (hold == null) {
      // A background gate without data holds the canary just as a step's gate does.
      hold = s.gates.stream().filter(g -> g.step == null && GateVerdict.Phase.Inconclusive.name().equals(g.phase))
          .findFirst().map(g -> "background gate " + g.name + " is inconclusive: " + g.message).orElse(null);
    }
    boolean promoting = s.step >= steps.size();
    s.phase = promoting ? Phase.Promoting.name() : hold != null ? Phase.Paused.name() : Phase.Progressing.name();
    s.pauseReason = hold;
    s.weight = gatewayApi(in.spec()) == null ? actualWeight(observed, replicas.keySet())
        : routeWeight(s, in.previous(), desired, observed, replicas);
    return new Decision(s, replicas, null, promoting, hold, waitingOn,
        promoting ? null : requeueAfter(s, in, wakeAt));
  }

  /** A canary still in play: its pods may serve traffic. */
  public static boolean running(CanaryStatus s) {
    return Phase.Progressing.name().equals(s.phase) || Phase.Paused.name().equals(s.phase)
        || Phase.Promoting.name().equals(s.phase);
  }

  /** The canary's status once its revision is promoted or aborted. */
  public static CanaryStatus close(CanaryStatus status, Phase phase) {
    CanaryStatus s = copy(status);
    s.phase = phase.name();
    s.pauseReason = null;
    s.notReadySince = null;
    return s;
  }

  /**
   * Canary replicas: ceil(total × weight / 100), at least 1 once the weight is above 0; never the scheduler.
   * Under gatewayAPI with canaryReplicas, the web canary has that many pods whatever the weight.
   */
  static Map<String, Integer> replicas(List<Component> components, Observed observed, int weight, CanarySpec spec) {
    Map<String, Integer> replicas = new LinkedHashMap<>();
    CanaryTraffic.GatewayApiTraffic route = gatewayApi(spec);
    for (Component c : components) {
      if (c.role() == Component.Role.SCHEDULER) {
        continue;
      }
      if (c.role() == Component.Role.WEB && route != null && route.canaryReplicas != null) {
        replicas.put(c.name(), weight <= 0 ? 0 : route.canaryReplicas);
        continue;
      }
      DeploymentState stable = observed.deployments().get(c.name());
      // The stable size is what runs now: an autoscaler's choice included.
      int total = stable != null ? stable.desiredReplicas() : c.replicas();
      replicas.put(c.name(), canaryReplicas(total, weight));
    }
    return replicas;
  }

  public static int canaryReplicas(int total, int weight) {
    return weight <= 0 ? 0 : Math.max(1, (int) Math.ceil(total * weight / 100.0));
  }

  private static CanaryStatus resume(CanaryStatus previous, String desired, CanarySpec spec, Instant now) {
    if (previous != null && desired.equals(previous.revision) && running(previous)) {
      return copy(previous);
    }
    CanaryStatus s = new CanaryStatus();
    s.revision = desired;
    s.phase = Phase.Progressing.name();
    s.steps = spec.steps.size();
    s.stepStartedAt = now.toString();
    return s;
  }

  /**
   * Background gates start once the canary's first pods are ready, not with the canary: before, there is
   * nothing to measure, and a gate without data would hold the canary (Paused) while its pods start. Slipway
   * does not see Prometheus scrape them; the first measurement comes one interval later, the time the gate's own
   * window needs anyway. Started once; a restarted operator finds them in status.
   */
  private static void startBackgroundGates(CanaryStatus s, Input in) {
    for (String name : in.spec().backgroundGates == null ? List.<String>of() : in.spec().backgroundGates) {
      if (s.gates.stream().noneMatch(g -> g.step == null && g.name.equals(name))) {
        s.gates.add(Gates.start(name, null, in.now()));
      }
    }
  }

  /** Leaves the current step (and any skipped ones) for `step`: their unfinished gates are Skipped. */
  private static void skipTo(CanaryStatus s, int step, Instant now) {
    int target = Math.min(step, s.steps);
    for (GateStatus g : s.gates) {
      if (g.step != null && g.step < target && !GateVerdict.Phase.Successful.name().equals(g.phase)) {
        g.phase = Gates.SKIPPED;
      }
    }
    if (target != s.step) {
      s.step = target;
      s.stepStartedAt = now.toString();
    }
  }

  private static List<GateStatus> startGates(CanaryStatus s, CanaryStep step, Input in) {
    List<GateStatus> gates = new ArrayList<>();
    for (String name : step.gate.metrics) {
      GateStatus g = s.gates.stream().filter(x -> name.equals(x.name) && Integer.valueOf(s.step).equals(x.step))
          .findFirst().orElse(null);
      if (g == null) {
        g = Gates.start(name, s.step, Instant.parse(s.stepStartedAt));
        s.gates.add(g);
      }
      gates.add(g);
    }
    for (GateStatus g : gates) {
      GateSpec spec = in.gates().get(g.name);
      g.query = in.queries().getOrDefault(g.name, g.query);
      g.condition = spec.condition;
    }
    return gates;
  }

  private static Decision abort(CanaryStatus s, String reason, String message) {
    s.phase = Phase.Aborted.name();
    s.pauseReason = null;
    s.weight = 0;
    return new Decision(s, Map.of(), new Plan.Rejection(reason, message), false, null, null, null);
  }

  /** Canary pods that crash-loop, or never become Ready, abort the canary without waiting for metrics. */
  private static Optional<Plan.Rejection> podHealth(CanaryStatus s, Input in, String desired, Observed observed,
      Map<String, Integer> replicas) {
    for (Map.Entry<String, Integer> e : replicas.entrySet()) {
      DeploymentState d = observed.canaries().get(e.getKey());
      if (d != null && d.failedAt(desired)) {
        return Optional.of(new Plan.Rejection("ProgressDeadlineExceeded", "canary of " + e.getKey()
            + " made no progress before its deadline" + (d.message() != null ? ": " + d.message() : "")));
      }
    }
    if (!in.spec().podHealth.enabled) {
      s.notReadySince = null;
      return Optional.empty();
    }
    for (Map.Entry<String, Integer> e : observed.canaryRestarts().entrySet()) {
      if (replicas.containsKey(e.getKey()) && e.getValue() > in.spec().podHealth.maxRestarts) {
        return Optional.of(new Plan.Rejection("PodHealth", "podHealth: a canary pod of " + e.getKey()
            + " restarted " + e.getValue() + " times (maxRestarts " + in.spec().podHealth.maxRestarts + ")"));
      }
    }
    String notReady = notReady(desired, observed, replicas);
    if (notReady == null || replicas.values().stream().allMatch(r -> r == 0)) {
      s.notReadySince = null;
      return Optional.empty();
    }
    if (s.notReadySince == null) {
      s.notReadySince = in.now().toString();
    }
    Duration timeout = GoDuration.parse(in.spec().podHealth.readyTimeout);
    Duration waited = Duration.between(Instant.parse(s.notReadySince), in.now());
    if (waited.compareTo(timeout) >= 0) {
      return Optional.of(new Plan.Rejection("PodHealth", "podHealth: canary pods not Ready for " + waited.toSeconds()
          + "s (readyTimeout " + in.spec().podHealth.readyTimeout + "): " + notReady));
    }
    return Optional.empty();
  }

  /** The canaries not yet at their size with every pod available, e.g. "web (1/2 ready)"; null when all are. */
  private static String notReady(String desired, Observed observed, Map<String, Integer> replicas) {
    List<String> waiting = new ArrayList<>();
    replicas.forEach((name, wanted) -> {
      DeploymentState d = observed.canaries().get(name);
      boolean ready = d != null && d.rolledOutAt(desired) && d.desiredReplicas() == wanted;
      if (!ready) {
        waiting.add("canary " + name + " (" + (d == null ? 0 : d.availableReplicas()) + "/" + wanted + " ready)");
      }
    });
    return waiting.isEmpty() ? null : String.join(", ", waiting);
  }

  /** The HTTPRoute settings when the canary's traffic goes through the Gateway API, else null. */
  public static CanaryTraffic.GatewayApiTraffic gatewayApi(CanarySpec spec) {
    return spec == null || spec.traffic == null ? null : spec.traffic.gatewayAPI;
  }

  /**
   * The weight to set on the HTTPRoute: the step's weight once the canary has every pod that step asks for
   * available, until then the weight already set. Traffic never reaches a canary before its pods can serve it.
   */
  static int routeWeight(CanaryStatus s, CanaryStatus previous, String desired, Observed observed,
      Map<String, Integer> replicas) {
    if (notReady(desired, observed, replicas) == null) {
      return s.setWeight;
    }
    boolean sameCanary = previous != null && desired.equals(previous.revision);
    return sameCanary ? Math.min(previous.weight, s.setWeight) : 0;
  }

  /** Share of Ready pods of the canaried components that run the canary, in percent. */
  static int actualWeight(Observed observed, Iterable<String> components) {
    int canary = 0;
    int all = 0;
    for (String name : components) {
      DeploymentState c = observed.canaries().get(name);
      DeploymentState st = observed.deployments().get(name);
      canary += c == null ? 0 : c.readyReplicas();
      all += (c == null ? 0 : c.readyReplicas()) + (st == null ? 0 : st.readyReplicas());
    }
    return all == 0 ? 0 : Math.round(100f * canary / all);
  }

  /** The soonest of: a gate's next measurement, the end of a pause, a gate's or the pods' timeout. */
  private static Duration requeueAfter(CanaryStatus s, Input in, Instant wakeAt) {
    Instant podsDue = s.notReadySince == null ? null
        : Instant.parse(s.notReadySince).plus(GoDuration.parse(in.spec().podHealth.readyTimeout));
    Instant soonest = wakeAt == null || podsDue != null && podsDue.isBefore(wakeAt) ? podsDue : wakeAt;
    return Gates.until(in.now(), Gates.soonestLook(s.gates, in.gates(), soonest));
  }

  private static GateSettings settings(GateStatus g, Input in) {
    String duration = null;
    if (g.step != null && g.step < in.spec().steps.size() && in.spec().steps.get(g.step).gate != null) {
      duration = in.spec().steps.get(g.step).gate.duration;
    }
    return GateSettings.of(in.gates().get(g.name), duration);
  }

  private static CanaryStatus copy(CanaryStatus s) {
    return MAPPER.convertValue(s, CanaryStatus.class);
  }
}
