package dev.slipway.rollout;

/** Where a revision's rollout stands. */
public enum Stage {
  /** Nothing to do: the desired revision is stable. */
  Stable,
  Migrating,
  Workers,
  Web,
  Scheduler,
  /** Paused by the user before the next stage. */
  Paused,
  /** The desired revision was rejected; stable templates are back (or there was no stable revision). */
  RolledBack,
  /** The desired revision failed just now; the reconciler records the rejection and plans again. */
  Failed
}
