package dev.slipway.rollout;

import java.util.Map;

/**
 * The world as the informers see it.
 *
 * @param deployments component name → its Deployment; absent when it does not exist
 * @param migrateJob the migrate Job of the desired revision, or null when it does not exist
 */
public record Observed(Map<String, DeploymentState> deployments, JobState migrateJob) {}
