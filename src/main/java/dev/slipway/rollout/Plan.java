package dev.slipway.rollout;

import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.api.v1alpha1.CanaryStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to do now.
 *
 * @param target the revision Deployments converge to (null: leave them alone)
 * @param stage where the rollout stands
 * @param apply components whose Deployments are written at `target` (rendered from `targetFromSnapshot`
 *     when the target is the stable revision of a rollback)
 * @param removeOthers delete Deployments of components that `target` does not have
 * @param createMigrateJob start the migration of `target`
 * @param snapshotDesired record the desired revision's spec before anything of it runs
 * @param promote the desired revision is fully rolled out: it becomes stable
 * @param reject the desired revision failed: reject it (and roll back)
 * @param waitingOn what the rollout waits for (or, when Paused, why it holds), for people
 * @param canary the canary Deployments to run; null: none (any that exist are deleted)
 * @param blueGreen the sizes of both blue-green slots; null when the app is not blue-green or settled
 */
public record Plan(String target, Stage stage, List<String> apply, boolean targetFromSnapshot, boolean removeOthers,
    boolean createMigrateJob, boolean snapshotDesired, boolean promote, Rejection reject, String waitingOn,
    CanaryPlan canary, BlueGreenPlan blueGreen) {

  public Plan(String target, Stage stage, List<String> apply, boolean targetFromSnapshot, boolean removeOthers,
      boolean createMigrateJob, boolean snapshotDesired, boolean promote, Rejection reject, String waitingOn,
      CanaryPlan canary) {
    this(target, stage, apply, targetFromSnapshot, removeOthers, createMigrateJob, snapshotDesired, promote, reject,
        waitingOn, canary, null);
  }

  public Plan(String target, Stage stage, List<String> apply, boolean targetFromSnapshot, boolean removeOthers,
      boolean createMigrateJob, boolean snapshotDesired, boolean promote, Rejection reject, String waitingOn) {
    this(target, stage, apply, targetFromSnapshot, removeOthers, createMigrateJob, snapshotDesired, promote, reject,
        waitingOn, null);
  }

  public record Rejection(String reason, String message) {}

  /**
   * @param replicas component → replicas of its canary Deployment at the desired revision
   * @param zeroOthers scale the canaries not in `replicas` to 0 (an abort) instead of deleting them
   * @param status the canary's status after this reconcile
   * @param requeueAfter when to look again even if nothing changes (next measurement, end of a pause)
   */
  public record CanaryPlan(Map<String, Integer> replicas, boolean zeroOthers, CanaryStatus status,
      Duration requeueAfter) {}

  /**
   * @param replicas track → component → replicas of that slot's Deployment
   * @param templateTrack the slot written at the desired revision; the other is only scaled (null: neither is
   *     written, both only scaled)
   * @param status the blue-green status after this reconcile
   * @param requeueAfter when to look again even if nothing changes
   */
  public record BlueGreenPlan(Map<String, Map<String, Integer>> replicas, String templateTrack,
      BlueGreenStatus status, Duration requeueAfter) {}

  /** The canary's share of traffic to set on a route: its weight while it runs; 0 once closed, or with none. */
  public int canaryTrafficWeight() {
    CanaryStatus s = canary == null ? null : canary.status();
    return s == null || !CanaryPlanner.running(s) ? 0 : s.weight;
  }

  public Plan withCanary(CanaryPlan canary) {
    return new Plan(target, stage, apply, targetFromSnapshot, removeOthers, createMigrateJob, snapshotDesired,
        promote, reject, waitingOn, canary, blueGreen);
  }

  public Plan withBlueGreen(BlueGreenPlan blueGreen) {
    return new Plan(target, stage, apply, targetFromSnapshot, removeOthers, createMigrateJob, snapshotDesired,
        promote, reject, waitingOn, canary, blueGreen);
  }

  public static Plan idle(Stage stage, String waitingOn) {
    return new Plan(null, stage, List.of(), false, false, false, false, false, null, waitingOn);
  }

  public static Plan reject(String reason, String message) {
    return new Plan(null, Stage.Failed, List.of(), false, false, false, false, false,
        new Rejection(reason, message), null);
  }
}
