package dev.slipway.cli;

/**
 * What kubectl-slipway's exit status tells a script. Below 3 are answers (`status`: 1 Degraded, 2 still going;
 * `lint`: 1 findings), from 3 on failures, so a script waiting on `status` never takes a typo or an unreachable
 * cluster for "still progressing".
 */
public enum ExitCode {
  OK(0),
  /** `status`, `get --until-done`: the rollout ended Degraded. */
  DEGRADED(1),
  /** `lint`: the files have findings. */
  FINDINGS(1),
  /** `status`: still progressing or paused at the timeout. */
  PROGRESSING(2),
  /** Bad usage, an API failure, an object not found, a request refused. */
  ERROR(3),
  /** A control request the operator did not acknowledge in time (is it running?). */
  NOT_ACKNOWLEDGED(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
