package dev.slipway.rollout;

import java.util.Map;

/**
 * The world as the informers see it.
 *
 * @param deployments component name → its stable-track Deployment; absent when it does not exist
 * @param migrateJob the migrate Job of the desired revision, or null when it does not exist
 * @param canaries component name → its canary Deployment
 * @param canaryRestarts component name → the most container restarts of one of its canary pods at the desired
 *     revision
 */
public record Observed(Map<String, DeploymentState> deployments, JobState migrateJob,
    Map<String, DeploymentState> canaries, Map<String, Integer> canaryRestarts) {

  public Observed(Map<String, DeploymentState> deployments, JobState migrateJob) {
    this(deployments, migrateJob, Map.of(), Map.of());
  }
}
