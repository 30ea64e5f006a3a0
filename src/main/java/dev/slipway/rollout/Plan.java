package dev.slipway.rollout;

import java.util.List;

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
 */
public record Plan(String target, Stage stage, List<String> apply, boolean targetFromSnapshot, boolean removeOthers,
    boolean createMigrateJob, boolean snapshotDesired, boolean promote, Rejection reject, String waitingOn) {

  public record Rejection(String reason, String message) {}

  public static Plan idle(Stage stage, String waitingOn) {
    return new Plan(null, stage, List.of(), false, false, false, false, false, null, waitingOn);
  }

  public static Plan reject(String reason, String message) {
    return new Plan(null, Stage.Failed, List.of(), false, false, false, false, false,
        new Rejection(reason, message), null);
  }
}
