package dev.slipway.rollout;

import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.desired.Component;
import dev.slipway.desired.Component.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides the next step of a rolling rollout from the revisions in play and what the Deployment and Job
 * controllers report. Pure: the same input always gives the same plan, so a restarted operator picks up
 * exactly where the last one stopped.
 *
 * <p>Order of a new revision: its migration succeeds, then workers (they must understand new tasks
 * before new web pods enqueue them), then web, then the singleton scheduler. Rejecting a revision puts the
 * stable templates back on every component at once.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /**
   * @param desired revision of the current spec
   * @param stable last fully rolled-out revision, or null before the first one
   * @param rejected revision that failed, or null
   * @param desiredComponents components of the current spec, in rollout order
   * @param stableComponents components of the stable revision (null when there is none)
   */
  public record Input(String desired, String stable, String rejected, boolean paused, boolean hasMigration,
      List<Component> desiredComponents, List<String> stableComponents, Observed observed,
      CanaryPlanner.Input canary, BlueGreenPlanner.Input blueGreen) {

    /** A rolling rollout: no canary. */
    public Input(String desired, String stable, String rejected, boolean paused, boolean hasMigration,
        List<Component> desiredComponents, List<String> stableComponents, Observed observed) {
      this(desired, stable, rejected, paused, hasMigration, desiredComponents, stableComponents, observed, null,
          null);
    }

    /**
     * Blue-green slots by track: the serving one is what {@link Observed#deployments()} holds, the other is
     * in {@link Observed#canaries()}.
     */
    Map<String, Map<String, DeploymentState>> slots() {
      String serving = BlueGreenPlanner.servingTrack(blueGreen.previous());
      return Map.of(serving, observed.deployments(), BlueGreenPlanner.otherTrack(serving), observed.canaries());
    }
  }

  /** Canaries of a rejected revision stay at zero replicas until the next revision reuses or removes them. */
  static final Plan.CanaryPlan CANARIES_AT_ZERO = new Plan.CanaryPlan(Map.of(), true, null, null);

  public static Plan plan(Input in) {
    if (in.desired().equals(in.rejected())) {
      return in.blueGreen() != null && in.stable() != null ? blueGreenRolledBack(in) : rollback(in);
    }
    if (in.desired().equals(in.stable())) {
      return steady(in);
    }
    return forward(in);
  }

  private static Plan steady(Input in) {
    Plan plan = new Plan(in.desired(), Stage.Stable, names(in.desiredComponents()), false, true, false, false, false,
        null, notRolledOut(in, in.desiredComponents(), in.desired()));
    if (in.blueGreen() == null) {
      return plan;
    }
    BlueGreenStatus status = in.blueGreen().previous();
    return plan.withBlueGreen(new Plan.BlueGreenPlan(BlueGreenPlanner.idleSlot(in.desiredComponents(),
        BlueGreenPlanner.servingTrack(status)), null, status, null));
  }

  private static Plan rollback(Input in) {
    if (in.stable() == null || in.stableComponents() == null) {
      return Plan.idle(Stage.RolledBack, null).withCanary(CANARIES_AT_ZERO);
    }
    List<String> waiting = new ArrayList<>();
    for (String name : in.stableComponents()) {
      DeploymentState d = in.observed().deployments().get(name);
      if (d == null || !d.rolledOutAt(in.stable())) {
        waiting.add(name);
      }
    }
    return new Plan(in.stable(), Stage.RolledBack, in.stableComponents(), true, true, false, false, false, null,
        waiting.isEmpty() ? null : String.join(", ", waiting), CANARIES_AT_ZERO);
  }

  private static Plan forward(Input in) {
    if (in.hasMigration()) {
      JobState job = in.observed().migrateJob();
      if (job == null) {
        return in.paused() ? Plan.idle(Stage.Paused, null)
            : new Plan(in.desired(), Stage.Migrating, List.of(), false, false, true, true, false, null, "migration");
      }
      if (job.failed()) {
        return Plan.reject("MigrationFailed", "migration of revision " + in.desired() + " failed: "
            + job.failureMessage());
      }
      if (!job.succeeded()) {
        return new Plan(in.desired(), Stage.Migrating, List.of(), false, false, false, true, false, null,
            "migration");
      }
    }
    if (in.canary() != null && in.stable() != null) {
      return canary(in);
    }
    if (in.blueGreen() != null && in.stable() != null) {
      return blueGreen(in);
    }
    return rolling(in);
  }

  /**
   * The serving slot keeps the stable revision while the other previews the new one; promotion is a switch of
   * slots, and the desired revision is stable once the old slot is down.
   */
  private static Plan blueGreen(Input in) {
    BlueGreenPlanner.Decision d = BlueGreenPlanner.decide(in.desired(), in.desiredComponents(), in.slots(),
        in.paused(), in.blueGreen());
    Plan.BlueGreenPlan slots = new Plan.BlueGreenPlan(d.replicas(), d.templateTrack(), d.status(),
        d.requeueAfter());
    if (d.abort() != null) {
      return Plan.reject(d.abort().reason(), d.abort().message()).withBlueGreen(slots);
    }
    if (d.promoted()) {
      return new Plan(in.desired(), Stage.Stable, List.of(), false, true, false, true, true, null, null)
          .withBlueGreen(slots);
    }
    return new Plan(null, d.hold() != null ? Stage.Paused : Stage.BlueGreen, List.of(), false, false, false, true,
        false, null, d.hold() != null ? d.hold() : d.waitingOn()).withBlueGreen(slots);
  }

  /** A rejected blue-green revision: the slot that serves the stable one at full size, the other at 0. */
  private static Plan blueGreenRolledBack(Input in) {
    BlueGreenStatus status = BlueGreenPlanner.aborted(in.blueGreen().previous(), in.desired());
    String serving = BlueGreenPlanner.servingTrack(status);
    Map<String, Map<String, Integer>> sizes = BlueGreenPlanner.settled(in.desiredComponents(), in.slots(),
        in.blueGreen().spec(), serving);
    return new Plan(null, Stage.RolledBack, List.of(), false, false, false, false, false, null, null)
        .withBlueGreen(new Plan.BlueGreenPlan(sizes, null, status, null));
  }

  /**
   * Canary steps leave the stable Deployments untouched; once every step is done the stable Deployments take
   * the new revision as in a rolling rollout, the canaries serving beside them until it is promoted.
   */
  private static Plan canary(Input in) {
    CanaryPlanner.Decision d = CanaryPlanner.decide(in.desired(), in.desiredComponents(), in.observed(), in.paused(),
        in.canary());
    if (d.abort() != null) {
      return Plan.reject(d.abort().reason(), d.abort().message())
          .withCanary(new Plan.CanaryPlan(Map.of(), true, d.status(), null));
    }
    if (!d.promoting()) {
      return new Plan(null, d.hold() != null ? Stage.Paused : Stage.Canary, List.of(), false, false, false, true,
          false, null, d.hold() != null ? d.hold() : d.waitingOn(),
          new Plan.CanaryPlan(d.replicas(), false, d.status(), d.requeueAfter()));
    }
    Plan p = rolling(in);
    if (p.promote() || p.reject() != null) {
      boolean promoted = p.promote();
      return p.withCanary(new Plan.CanaryPlan(Map.of(), !promoted,
          CanaryPlanner.close(d.status(), promoted ? CanaryPlanner.Phase.Promoted : CanaryPlanner.Phase.Aborted), null));
    }
    return p.withCanary(new Plan.CanaryPlan(d.replicas(), false, d.status(), null));
  }

  private static Plan rolling(Input in) {
    List<String> applied = new ArrayList<>();
    for (Role role : Role.values()) {
      List<Component> group = in.desiredComponents().stream().filter(c -> c.role() == role).toList();
      if (group.isEmpty()) {
        continue;
      }
      boolean started = group.stream().allMatch(c -> at(in.observed().deployments(), c.name(), in.desired()));
      if (!started && in.paused()) {
        return new Plan(in.desired(), Stage.Paused, List.copyOf(applied), false, false, false, true, false, null,
            null);
      }
      applied.addAll(names(group));
      for (String name : applied) {
        DeploymentState d = in.observed().deployments().get(name);
        if (d != null && d.failedAt(in.desired())) {
          return Plan.reject("ProgressDeadlineExceeded", "component " + name + " of revision " + in.desired()
              + " made no progress before its deadline" + (d.message() != null ? ": " + d.message() : ""));
        }
      }
      String waiting = notRolledOut(in, group, in.desired());
      if (waiting != null) {
        return new Plan(in.desired(), stageOf(role), List.copyOf(applied), false, false, false, true, false, null,
            waiting);
      }
    }
    return new Plan(in.desired(), Stage.Stable, List.copyOf(applied), false, true, false, true, true, null, null);
  }

  private static Stage stageOf(Role role) {
    return switch (role) {
      case WORKER -> Stage.Workers;
      case WEB -> Stage.Web;
      case SCHEDULER -> Stage.Scheduler;
    };
  }

  private static boolean at(Map<String, DeploymentState> deployments, String name, String revision) {
    DeploymentState d = deployments.get(name);
    return d != null && revision.equals(d.revision());
  }

  /** The components not yet rolled out at `revision`, each with why its pods cannot be created, if known. */
  private static String notRolledOut(Input in, List<Component> components, String revision) {
    List<String> waiting = new ArrayList<>();
    for (Component c : components) {
      DeploymentState d = in.observed().deployments().get(c.name());
      if (d == null || !d.rolledOutAt(revision)) {
        waiting.add(d != null && d.replicaFailure() != null ? c.name() + " (" + d.replicaFailure() + ")" : c.name());
      }
    }
    return waiting.isEmpty() ? null : String.join(", ", waiting);
  }

  private static List<String> names(List<Component> components) {
    return components.stream().map(Component::name).toList();
  }
}
