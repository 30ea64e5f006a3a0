package dev.slipway.rollout;

/** Where a revision's rollout stands. */
public enum Stage {
  /** Nothing to do: the desired revision is stable. */
  Stable,
  Migrating,
  /** Canary Deployments run the desired revision beside the untouched stable ones. */
  Canary,
  /** Blue-green: the new revision runs in the slot that does not serve, or serves with the old slot kept. */
  BlueGreen,
  Workers,
  Web,
  Scheduler,
  /** Held: by spec.paused, a manual pause, a pause step without duration, or a gate without data. */
  Paused,
  /** The desired revision was rejected; stable templates are back (or there was no stable revision). */
  RolledBack,
  /** The desired revision failed just now; the reconciler records the rejection and plans again. */
  Failed
}
