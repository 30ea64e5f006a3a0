package dev.slipway.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.BlueGreenSpec;
import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.desired.Component;
import dev.slipway.desired.Labels;
import dev.slipway.gate.GateSettings;
import dev.slipway.gate.GateVerdict;
import dev.slipway.gate.Measurement;
import dev.slipway.control.Control;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a blue-green rollout along. Two slots per component — the Deployments of track `stable` and of track
 * `preview` — take turns: the slot that serves keeps its revision, the other runs the new one behind the
 * preview Service, and promotion switches the web Service to it. Pure, and every fact it needs is in status.
 *
 * <p>Sizes: the serving slot runs every component at full size, its scheduler only once the other slot's is
 * gone (never two at once). Before the switch the other slot runs the preview web (previewReplicas, then full
 * size to promote) and no worker or scheduler: it consumes nothing. After the switch the old slot keeps its
 * web pods for scaleDownDelaySeconds (a switch back is one selector write) and drains its workers at once.
 */
public final class BlueGreenPlanner {
  private BlueGreenPlanner() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public enum Phase { Previewing, Paused, Promoting, Switched, Promoted, Aborted }

  /**
   * @param previous the blue-green status of the last reconcile (possibly of another revision), or null
   * @param measured measurements taken in this reconcile, for the gates {@link #due} named
   */
  public record Input(BlueGreenSpec spec, Map<String, GateSpec> gates, BlueGreenStatus previous,
      Map<Gates.GateRun, Measurement> measured, Map<String, String> queries, Control control, Instant now) {}

  /**
   * @param replicas track → component → replicas of that slot's Deployment
   * @param templateTrack the slot that runs the desired revision (its Deployments are written in full); the
   *     other slot is only scaled
   * @param promoted the old slot is down: the desired revision is stable
   * @param hold why the rollout holds (Paused), or null
   */
  public record Decision(BlueGreenStatus status, Map<String, Map<String, Integer>> replicas, String templateTrack,
      Plan.Rejection abort, boolean promoted, String hold, String waitingOn, Duration requeueAfter) {}

  /** The slot that serves: the web Service selects it. The stable track until a switch says otherwise. */
  public static String servingTrack(BlueGreenStatus status) {
    return status == null || status.activeTrack == null ? Labels.STABLE : status.activeTrack;
  }

  public static String otherTrack(String track) {
    return Labels.STABLE.equals(track) ? Labels.PREVIEW : Labels.STABLE;
  }

  /** The gates whose next measurement is due: pre-promotion ones on the preview, post-promotion ones after the switch. */
  public static List<Gates.GateRun> due(BlueGreenStatus status, String desired, Map<String, GateSpec> gates,
      Instant now) {
    if (status == null || !desired.equals(status.revision) || !running(status)) {
      return List.of();
    }
    return Gates.due(currentGates(status), gates, now);
  }

  public static boolean running(BlueGreenStatus s) {
    return !Phase.Promoted.name().equals(s.phase) && !Phase.Aborted.name().equals(s.phase);
  }

  /**
   * @param slots track → component → what the Deployment controller reports for that slot's Deployment
   */
  public static Decision decide(String desired, List<Component> components,
      Map<String, Map<String, DeploymentState>> slots, boolean specPaused, Input in) {
    BlueGreenStatus s = resume(in.previous(), desired);
    Gates.record(currentGates(s), in.measured(), in.queries());
    Sizes sizes = new Sizes(components, slots, in.spec());

    if (in.control() == Control.ABORT) {
      return abort(s, sizes, "ManualAbort", "aborted by request (slipway.dev/control) while " + s.phase);
    }
    if (in.control() == Control.PAUSE) {
      s.manualPause = true;
    } else if (in.control() == Control.RESUME) {
      s.manualPause = false;
    } else if (in.control() == Control.PROMOTE || in.control() == Control.PROMOTE_FULL) {
      s.promotionRequested = true;
      if (in.control() == Control.PROMOTE_FULL) {
        s.prePromotionGates.stream().filter(Gates::measuring).forEach(g -> g.phase = Gates.SKIPPED);
      }
    }
    for (GateStatus g : currentGates(s)) {
      if (!Gates.skipIfRemoved(g, in.gates()) && Gates.measuring(g)
          && Gates.judge(g, GateSettings.of(in.gates().get(g.name), null), in.now()).phase() == GateVerdict.Phase.Failed) {
        boolean post = Phase.Switched.name().equals(s.phase);
        return abort(s, sizes, "GateFailed", (post ? "postPromotionGate " : "prePromotionGate ") + g.name
            + " failed: " + g.message + "; query: " + g.query + "; condition: " + g.condition);
      }
    }
    return Phase.Switched.name().equals(s.phase) ? afterSwitch(s, sizes, desired, in)
        : beforeSwitch(s, sizes, desired, specPaused, in);
  }

  private static Decision beforeSwitch(BlueGreenStatus s, Sizes sizes, String desired, boolean specPaused,
      Input in) {
    String preview = otherTrack(s.activeTrack);
    boolean promoting = Phase.Promoting.name().equals(s.phase);
    Map<String, Integer> previewSizes = sizes.preview(promoting);
    Optional<String> failed = sizes.failed(preview, desired);
    if (failed.isPresent()) {
      return abort(s, sizes, "ProgressDeadlineExceeded", "preview of " + failed.get()
          + " made no progress before its deadline");
    }
    String notReady = sizes.notReady(preview, previewSizes, desired);
    if (notReady == null && !promoting) {
      if (s.prePromotionGates.isEmpty()) {
        in.spec().prePromotionGates.forEach(name -> s.prePromotionGates.add(Gates.start(name, null, in.now())));
      }
      Optional<GateStatus> unfinished = s.prePromotionGates.stream()
          .filter(g -> !Gates.done(g)).findFirst();
      if (unfinished.isPresent()) {
        GateStatus g = unfinished.get();
        return Gates.is(g, GateVerdict.Phase.Inconclusive)
            ? hold(s, sizes, preview, previewSizes, "prePromotionGate " + g.name + " is inconclusive: " + g.message, in)
            : progressing(s, sizes, preview, previewSizes, "prePromotionGate " + g.name + " ("
                + Gates.progress(g, in.gates().get(g.name)) + ")", null, in);
      }
      if (s.previewReadyAt == null) {
        s.previewReadyAt = in.now().toString();
      }
      if (specPaused || s.manualPause) {
        return hold(s, sizes, preview, previewSizes, specPaused ? "spec.paused is true"
            : "paused by request (slipway.dev/control: resume to continue)", in);
      }
      Instant autoAt = in.spec().autoPromotionSeconds == null ? null
          : Instant.parse(s.previewReadyAt).plusSeconds(in.spec().autoPromotionSeconds);
      boolean promote = s.promotionRequested || autoAt != null && !in.now().isBefore(autoAt);
      if (!promote) {
        return autoAt == null ? hold(s, sizes, preview, previewSizes, "the preview is ready; promote it with "
            + "slipway.dev/control: promote", in)
            : progressing(s, sizes, preview, previewSizes, "auto-promotion at " + autoAt, autoAt, in);
      }
      s.phase = Phase.Promoting.name();
      previewSizes = sizes.preview(true);
      notReady = sizes.notReady(preview, previewSizes, desired);
    }
    if (notReady != null) {
      return progressing(s, sizes, preview, previewSizes, notReady, null, in);
    }
    // The preview serves at full size: switch. The web Service, the HPA and the workers follow activeTrack.
    s.previousTrack = s.activeTrack;
    s.activeTrack = preview;
    s.switchedAt = in.now().toString();
    s.phase = Phase.Switched.name();
    s.pauseReason = null;
    in.spec().postPromotionGates.forEach(name -> s.postPromotionGates.add(Gates.start(name, null, in.now())));
    return afterSwitch(s, sizes, desired, in);
  }

  private static Decision afterSwitch(BlueGreenStatus s, Sizes sizes, String desired, Input in) {
    Map<String, Map<String, Integer>> replicas = new LinkedHashMap<>();
    replicas.put(s.activeTrack, sizes.serving(s.activeTrack));
    replicas.put(s.previousTrack, sizes.keptWeb());
    List<String> waiting = new ArrayList<>();
    String notReady = sizes.notReady(s.activeTrack, replicas.get(s.activeTrack), desired);
    if (notReady != null) {
      waiting.add(notReady);
    }
    replicas.get(s.activeTrack).forEach((name, size) -> {
      if (size == 0 && sizes.has(name, Component.Role.SCHEDULER)) {
        waiting.add("the old slot's " + name + " to stop (never two at once)");
      }
    });
    s.postPromotionGates.stream().filter(g -> !Gates.done(g)).findFirst()
        .ifPresent(g -> waiting.add("postPromotionGate " + g.name + (g.message != null ? " (" + g.message + ")" : "")));
    Instant scaleDownAt = Instant.parse(s.switchedAt).plusSeconds(in.spec().scaleDownDelaySeconds);
    if (in.now().isBefore(scaleDownAt)) {
      waiting.add("the old slot's scale-down at " + scaleDownAt);
    }
    if (!waiting.isEmpty()) {
      return new Decision(s, replicas, s.activeTrack, null, false, null, String.join(", ", waiting),
          requeue(s, in, in.now().isBefore(scaleDownAt) ? scaleDownAt : null));
    }
    s.phase = Phase.Promoted.name();
    s.previousTrack = null;
    return new Decision(s, settled(sizes, s.activeTrack), s.activeTrack, null, true, null, null, null);
  }

  /** Nothing served changes; after a switch, it switches back. The rejected revision's slot goes to 0. */
  private static Decision abort(BlueGreenStatus s, Sizes sizes, String reason, String message) {
    close(s);
    return new Decision(s, settled(sizes, s.activeTrack), null, new Plan.Rejection(reason, message), false, null,
        null, null);
  }

  /** The status of a revision rejected by something else (the apiserver refused what it generates). */
  public static BlueGreenStatus aborted(BlueGreenStatus previous, String desired) {
    if (previous == null || !desired.equals(previous.revision) || !running(previous)) {
      return previous;
    }
    BlueGreenStatus s = MAPPER.convertValue(previous, BlueGreenStatus.class);
    close(s);
    return s;
  }

  private static void close(BlueGreenStatus s) {
    if (Phase.Switched.name().equals(s.phase)) {
      s.activeTrack = s.previousTrack;
    }
    s.previousTrack = null;
    s.phase = Phase.Aborted.name();
    s.pauseReason = null;
  }

  /** The serving slot at full size, the other at 0: after a promotion, an abort, and while rolled back. */
  public static Map<String, Map<String, Integer>> settled(List<Component> components,
      Map<String, Map<String, DeploymentState>> slots, BlueGreenSpec spec, String serving) {
    return settled(new Sizes(components, slots, spec), serving);
  }

  /** Between rollouts the slot that does not serve runs nothing (a no-op once it is at 0). */
  public static Map<String, Map<String, Integer>> idleSlot(List<Component> components, String serving) {
    return Map.of(otherTrack(serving), new Sizes(components, Map.of(), null).zero());
  }

  private static Map<String, Map<String, Integer>> settled(Sizes sizes, String serving) {
    Map<String, Map<String, Integer>> replicas = new LinkedHashMap<>();
    replicas.put(serving, sizes.serving(serving));
    replicas.put(otherTrack(serving), sizes.zero());
    return replicas;
  }

  /** Before the switch, held: by a pause, a gate without data, or a promotion to be requested. */
  private static Decision hold(BlueGreenStatus s, Sizes sizes, String preview, Map<String, Integer> previewSizes,
      String hold, Input in) {
    s.phase = Phase.Paused.name();
    s.pauseReason = hold;
    return new Decision(s, beforeSwitchSizes(sizes, preview, previewSizes), preview, null, false, hold, null,
        requeue(s, in, null));
  }

  private static Decision progressing(BlueGreenStatus s, Sizes sizes, String preview,
      Map<String, Integer> previewSizes, String waitingOn, Instant wakeAt, Input in) {
    if (!Phase.Promoting.name().equals(s.phase)) {
      s.phase = Phase.Previewing.name();
    }
    s.pauseReason = null;
    return new Decision(s, beforeSwitchSizes(sizes, preview, previewSizes), preview, null, false, null, waitingOn,
        requeue(s, in, wakeAt));
  }

  private static Map<String, Map<String, Integer>> beforeSwitchSizes(Sizes sizes, String preview,
      Map<String, Integer> previewSizes) {
    Map<String, Map<String, Integer>> replicas = new LinkedHashMap<>();
    replicas.put(otherTrack(preview), sizes.serving(otherTrack(preview)));
    replicas.put(preview, previewSizes);
    return replicas;
  }

  /** The slot that runs (or will run) the desired revision: what a gate's {{track}} stands for. */
  public static String desiredTrack(BlueGreenStatus previous, String desired) {
    BlueGreenStatus s = resume(previous, desired);
    return Phase.Switched.name().equals(s.phase) ? s.activeTrack : otherTrack(s.activeTrack);
  }

  private static BlueGreenStatus resume(BlueGreenStatus previous, String desired) {
    if (previous != null && desired.equals(previous.revision) && running(previous)) {
      return MAPPER.convertValue(previous, BlueGreenStatus.class);
    }
    BlueGreenStatus s = new BlueGreenStatus();
    s.revision = desired;
    s.phase = Phase.Previewing.name();
    // A revision superseded after its switch was never promoted: the slot it left still runs the stable one.
    s.activeTrack = previous != null && Phase.Switched.name().equals(previous.phase) ? previous.previousTrack
        : servingTrack(previous);
    return s;
  }

  private static List<GateStatus> currentGates(BlueGreenStatus s) {
    return Phase.Switched.name().equals(s.phase) ? s.postPromotionGates : s.prePromotionGates;
  }

  /** The soonest of `wakeAt` and the current gates' next looks. */
  private static Duration requeue(BlueGreenStatus s, Input in, Instant wakeAt) {
    return Gates.until(in.now(), Gates.soonestLook(currentGates(s), in.gates(), wakeAt));
  }

  /** The sizes of each slot's Deployments, from the spec and what runs now. */
  private record Sizes(List<Component> components, Map<String, Map<String, DeploymentState>> slots,
      BlueGreenSpec spec) {

    /** Every component at full size; the scheduler only once the other slot's has no pod left. */
    Map<String, Integer> serving(String track) {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Component c : components) {
        sizes.put(c.name(), c.role() == Component.Role.SCHEDULER
            ? (gone(otherTrack(track), c.name()) ? 1 : 0) : full(c));
      }
      return sizes;
    }

    /** The preview: its web only (previewReplicas, or full size to promote); workers and scheduler at 0. */
    Map<String, Integer> preview(boolean fullSize) {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Component c : components) {
        boolean web = c.role() == Component.Role.WEB;
        int full = full(c);
        sizes.put(c.name(), !web ? 0 : fullSize || spec.previewReplicas == null ? full
            : Math.min(spec.previewReplicas, full));
      }
      return sizes;
    }

    /** The old slot after a switch: its web pods kept for a switch back; workers drain, scheduler gone. */
    Map<String, Integer> keptWeb() {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Component c : components) {
        sizes.put(c.name(), c.role() == Component.Role.WEB ? full(c) : 0);
      }
      return sizes;
    }

    Map<String, Integer> zero() {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      components.forEach(c -> sizes.put(c.name(), 0));
      return sizes;
    }

    /**
     * Full size: what the user asked for or, under an autoscaler, the most it chose for either slot (at least
     * its minimum): the slot taking over starts as large as the one it relieves.
     */
    int full(Component c) {
      if (!c.autoscaled()) {
        return c.replicas();
      }
      int chosen = 0;
      for (Map<String, DeploymentState> slot : slots.values()) {
        DeploymentState d = slot.get(c.name());
        chosen = Math.max(chosen, d == null ? 0 : d.desiredReplicas());
      }
      return Math.max(c.autoscaling().minReplicas, chosen);
    }

    boolean has(String component, Component.Role role) {
      return components.stream().anyMatch(c -> c.name().equals(component) && c.role() == role);
    }

    boolean gone(String track, String component) {
      DeploymentState d = slots.getOrDefault(track, Map.of()).get(component);
      return d == null || d.stopped();
    }

    /** Components of `track` not yet at their size with every pod available at `revision`; null when all are. */
    String notReady(String track, Map<String, Integer> sizes, String revision) {
      List<String> waiting = new ArrayList<>();
      sizes.forEach((name, wanted) -> {
        DeploymentState d = slots.getOrDefault(track, Map.of()).get(name);
        if (wanted > 0 && (d == null || !d.rolledOutAt(revision) || d.desiredReplicas() != wanted)) {
          waiting.add(track + " " + name + " (" + (d == null ? 0 : d.availableReplicas()) + "/" + wanted
              + " ready)");
        }
      });
      return waiting.isEmpty() ? null : String.join(", ", waiting);
    }

    Optional<String> failed(String track, String revision) {
      return slots.getOrDefault(track, Map.of()).entrySet().stream()
          .filter(e -> e.getValue().failedAt(revision)).map(Map.Entry::getKey).findFirst();
    }
  }
}
