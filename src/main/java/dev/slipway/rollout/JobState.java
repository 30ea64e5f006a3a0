package dev.slipway.rollout;

/** The migrate Job of a revision. */
public record JobState(boolean succeeded, boolean failed, String failureMessage) {
  public static final JobState RUNNING = new JobState(false, false, null);
}
