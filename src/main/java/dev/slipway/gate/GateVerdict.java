package dev.slipway.gate;

/** Where a gate stands after its measurements so far, and why, in words for status.message. */
public record GateVerdict(Phase phase, String reason) {

  public enum Phase {
    /** More measurements are needed. */
    Running,
    Successful,
    Failed,
    /** No data: the rollout holds until data comes or inconclusiveTimeout passes. */
    Inconclusive
  }

  public boolean done() {
    return phase == Phase.Successful || phase == Phase.Failed;
  }
}
