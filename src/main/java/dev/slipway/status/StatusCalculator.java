package dev.slipway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.ComponentStatus;
import dev.slipway.api.v1alpha1.MigrationStatus;
import dev.slipway.api.v1alpha1.RevisionRecord;
import dev.slipway.api.v1alpha1.RolloutProgress;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.rollout.Plan;
import dev.slipway.rollout.Stage;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a plan and what was observed into the status users and GitOps tools read (README "Status for GitOps":
 * kstatus conditions, phase and message, revisions, history). Pure.
 */
public final class StatusCalculator {
  /** The Stalled reason of a rolled-out revision that lost its availability: the stable pods do not serve. */
  public static final String COMPONENT_UNAVAILABLE = "ComponentUnavailable";

  private StatusCalculator() {}

  static final int HISTORY_LIMIT = 10;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Something outside the rollout keeps it from starting (e.g. a missing policy). */
  public record Blocker(String reason, String message) {}

  /**
   * @param rejection set when the desired revision was rejected in this reconcile
   * @param blocker set when nothing can proceed until a human acts
   * @param unavailable a component of the stable revision lost its availability (deadline exceeded)
   */
  public record Input(WebAppStatus previous, long generation, String desired, String image, Plan plan,
      Plan.Rejection rejection, Blocker blocker, String unavailable, MigrationStatus migration,
      List<ComponentStatus> components, String now) {}

  public static WebAppStatus compute(Input in) {
    WebAppStatus s = copy(in.previous());
    s.observedGeneration = in.generation();
    s.updateRevision = in.desired();
    s.components = in.components();
    s.migration = in.migration();
    recordStart(s, in);
    if (in.rejection() != null) {
      s.rejectedRevision = in.desired();
      finish(s, in.desired(), "Rejected", in.rejection().reason(), in.now());
    }
    boolean rejected = in.desired().equals(s.rejectedRevision);
    s.desiredRevisionRejected = rejected;
    if (in.plan().promote()) {
      s.stableRevision = in.desired();
      finish(s, in.desired(), "Promoted", null, in.now());
    }
    s.rollout = progress(s.rollout, in, rejected);
    s.canary = canary(s.canary, in);
    // Kept across revisions: which slot serves is not a fact of one rollout.
    if (in.plan().blueGreen() != null && in.plan().blueGreen().status() != null) {
      s.blueGreen = in.plan().blueGreen().status();
    }

    long gen = in.generation();
    List<Condition> c = s.conditions;
    String now = in.now();
    if (in.blocker() != null) {
      s.phase = Phase.Degraded.name();
      s.message = in.blocker().message();
      c = Conditions.set(c, Conditions.STALLED, true, in.blocker().reason(), s.message, gen, now);
      c = Conditions.set(c, Conditions.READY, false, in.blocker().reason(), s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, false, in.blocker().reason(), s.message, gen, now);
    } else if (rejected) {
      Condition previousStall = Conditions.find(c, Conditions.STALLED).orElse(null);
      String reason = in.rejection() != null ? in.rejection().reason()
          : previousStall != null && "True".equals(previousStall.getStatus()) ? previousStall.getReason()
          : "RevisionRejected";
      String cause = in.rejection() != null ? in.rejection().message()
          : previousStall != null ? previousStall.getMessage() : "";
      s.phase = Phase.Degraded.name();
      s.message = rejectedMessage(in.desired(), s.stableRevision, cause, in.plan().waitingOn());
      c = Conditions.set(c, Conditions.STALLED, true, reason, cause, gen, now);
      c = Conditions.set(c, Conditions.READY, false, "RevisionRejected", s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, false, "RevisionRejected", s.message, gen, now);
    } else if (in.plan().stage() == Stage.Paused) {
      s.phase = Phase.Paused.name();
      s.message = "paused: revision " + in.desired() + (in.plan().waitingOn() != null
          ? " holds: " + in.plan().waitingOn() : " waits for spec.paused=false");
      c = Conditions.set(c, Conditions.STALLED, false, "Paused", "", gen, now);
      c = Conditions.set(c, Conditions.READY, false, "Paused", s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, false, "Paused", s.message, gen, now);
    } else if (in.plan().stage() == Stage.Stable && in.unavailable() != null) {
      s.phase = Phase.Degraded.name();
      s.message = "revision " + in.desired() + " is rolled out but " + in.unavailable()
          + " lost availability past its progress deadline";
      c = Conditions.set(c, Conditions.STALLED, true, COMPONENT_UNAVAILABLE, s.message, gen, now);
      c = Conditions.set(c, Conditions.READY, false, COMPONENT_UNAVAILABLE, s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, false, COMPONENT_UNAVAILABLE, s.message, gen, now);
    } else if (in.plan().stage() == Stage.Stable && in.plan().waitingOn() == null) {
      s.phase = Phase.Healthy.name();
      s.message = "revision " + in.desired() + " is rolled out";
      c = Conditions.set(c, Conditions.STALLED, false, "RolledOut", "", gen, now);
      c = Conditions.set(c, Conditions.READY, true, "RolledOut", s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, false, "RolledOut", s.message, gen, now);
    } else {
      String reason = reconcilingReason(in.plan().stage());
      s.phase = Phase.Progressing.name();
      s.message = in.plan().stage() == Stage.Stable
          ? "revision " + in.desired() + " is rolled out; waiting for " + in.plan().waitingOn() + " to be available"
          : "rolling out revision " + in.desired() + ": " + stageText(in.plan());
      c = Conditions.set(c, Conditions.STALLED, false, reason, "", gen, now);
      c = Conditions.set(c, Conditions.READY, false, "Progressing", s.message, gen, now);
      c = Conditions.set(c, Conditions.RECONCILING, true, reason, s.message, gen, now);
    }
    s.conditions = c;
    return s;
  }

  private static String rejectedMessage(String desired, String stable, String cause, String waitingOn) {
    String running = stable == null ? "there is no earlier revision to roll back to"
        : waitingOn == null ? "running stable revision " + stable
        : "rolling back to stable revision " + stable + " (waiting for " + waitingOn + ")";
    return "revision " + desired + " was rejected: " + cause + "; " + running
        + ". Change the spec (e.g. revert it in Git) or request a retry (slipway.dev/control: retry) to roll out again.";
  }

  private static String reconcilingReason(Stage stage) {
    return switch (stage) {
      case Migrating -> "Migrating";
      case Canary -> "CanaryProgressing";
      case BlueGreen -> "BlueGreenProgressing";
      case Workers -> "RollingOutWorkers";
      case Web -> "RollingOutWeb";
      case Scheduler -> "RollingOutScheduler";
      default -> "Scaling";
    };
  }

  private static String stageText(Plan plan) {
    CanaryStatus canary = plan.canary() == null ? null : plan.canary().status();
    return switch (plan.stage()) {
      case Migrating -> "migrating";
      case Canary -> "canary step " + Math.min(canary.step + 1, canary.steps) + " of " + canary.steps + ", weight "
          + canary.weight + "% (asked " + canary.setWeight + "%); waiting for " + plan.waitingOn();
      case BlueGreen -> "blue-green " + plan.blueGreen().status().phase + " (serving slot "
          + plan.blueGreen().status().activeTrack + "); waiting for " + plan.waitingOn();
      default -> (canary != null ? "promoting the canary; " : "") + "waiting for " + plan.waitingOn();
    };
  }

  /** The canary this reconcile reports, or the last one while its revision is still the desired one. */
  private static CanaryStatus canary(CanaryStatus previous, Input in) {
    if (in.plan().canary() != null && in.plan().canary().status() != null) {
      return in.plan().canary().status();
    }
    return previous != null && in.desired().equals(previous.revision) ? previous : null;
  }

  /**
   * A rejected revision tried again (a retry request): no longer rejected, its canary starts over, and its
   * history record is open again.
   */
  public static WebAppStatus reopen(WebAppStatus previous, String desired) {
    WebAppStatus s = copy(previous);
    s.rejectedRevision = null;
    s.desiredRevisionRejected = false;
    s.canary = null;
    s.history.stream().filter(r -> desired.equals(r.revision) && "Rejected".equals(r.outcome)).forEach(r -> {
      r.outcome = "Progressing";
      r.reason = null;
      r.finishedAt = null;
    });
    return s;
  }

  private static RolloutProgress progress(RolloutProgress previous, Input in, boolean rejected) {
    if (in.plan().stage() == Stage.Stable && !rejected) {
      return null;
    }
    Stage stage = rejected ? Stage.RolledBack : in.plan().stage();
    RolloutProgress p = new RolloutProgress();
    p.revision = in.desired();
    p.stage = stage.name();
    boolean sameRevision = previous != null && in.desired().equals(previous.revision);
    p.startedAt = sameRevision && previous.startedAt != null ? previous.startedAt : in.now();
    p.stageStartedAt = sameRevision && p.stage.equals(previous.stage) ? previous.stageStartedAt : in.now();
    return p;
  }

  /** A new desired revision opens a history record; the one it replaces, if unfinished, is superseded. */
  private static void recordStart(WebAppStatus s, Input in) {
    List<RevisionRecord> history = new ArrayList<>(s.history == null ? List.of() : s.history);
    if (!history.isEmpty() && in.desired().equals(history.get(0).revision)) {
      s.history = history;
      return;
    }
    if (in.desired().equals(s.stableRevision)) {
      // Back on the stable revision (e.g. a revert): nothing new to record.
      history.stream().filter(r -> "Progressing".equals(r.outcome)).forEach(r -> {
        r.outcome = "Superseded";
        r.finishedAt = in.now();
      });
      s.history = history;
      return;
    }
    history.stream().filter(r -> "Progressing".equals(r.outcome)).forEach(r -> {
      r.outcome = "Superseded";
      r.finishedAt = in.now();
    });
    RevisionRecord record = new RevisionRecord();
    record.revision = in.desired();
    record.image = in.image();
    record.startedAt = in.now();
    record.outcome = "Progressing";
    history.add(0, record);
    s.history = new ArrayList<>(history.subList(0, Math.min(HISTORY_LIMIT, history.size())));
  }

  private static void finish(WebAppStatus s, String revision, String outcome, String reason, String now) {
    s.history.stream().filter(r -> revision.equals(r.revision) && "Progressing".equals(r.outcome)).forEach(r -> {
      r.outcome = outcome;
      r.reason = reason;
      r.finishedAt = now;
    });
  }

  private static WebAppStatus copy(WebAppStatus previous) {
    return previous == null ? new WebAppStatus() : MAPPER.convertValue(previous, WebAppStatus.class);
  }

  /** Equal content: patch only when this is false. */
  public static boolean same(WebAppStatus a, WebAppStatus b) {
    return MAPPER.valueToTree(a).equals(MAPPER.valueToTree(b));
  }

  /**
   * Equal but for the pod counts of components (ready, updated, available): the part of status that changes
   * with every pod of a rollout, and that can wait a few seconds.
   */
  public static boolean sameButPodCounts(WebAppStatus a, WebAppStatus b) {
    return withoutPodCounts(a).equals(withoutPodCounts(b));
  }

  private static JsonNode withoutPodCounts(WebAppStatus s) {
    JsonNode tree = MAPPER.valueToTree(s);
    for (JsonNode c : tree.path("components")) {
      ((ObjectNode) c).remove(List.of("readyReplicas", "updatedReplicas", "availableReplicas"));
    }
    return tree;
  }
}
