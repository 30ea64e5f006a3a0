package dev.slipway.gate;

import java.time.Duration;

/**
 * How a gate judges its measurements (names as Argo Rollouts' analysis, where users expect them).
 *
 * @param count measurements to take before the gate can pass
 * @param failureLimit failed measurements tolerated; one more fails the gate (default 0: any failure fails)
 * @param consecutiveErrorLimit query errors in a row that fail the gate: an unreachable Prometheus fails
 *     closed, it never passes
 * @param onNoData what an empty result counts as
 * @param inconclusiveTimeout how long no data may hold the rollout (onNoData=Inconclusive) before it fails
 */
public record GateSettings(Duration interval, int count, int failureLimit, int consecutiveErrorLimit,
    OnNoData onNoData, Duration inconclusiveTimeout) {

  public enum OnNoData { Inconclusive, Fail, Pass }
}
