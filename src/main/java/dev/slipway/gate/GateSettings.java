package dev.slipway.gate;

import dev.slipway.api.v1alpha1.GateSpec;
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

  /**
   * @param stepDuration a gate step's duration, or null: measuring for a duration takes at least
   *     duration / interval measurements
   */
  public static GateSettings of(GateSpec spec, String stepDuration) {
    Duration interval = GoDuration.parse(spec.interval);
    if (interval.isZero()) {
      throw new IllegalArgumentException("gate " + spec.name + ": interval must be more than 0");
    }
    int count = spec.count;
    if (stepDuration != null) {
      count = (int) Math.max(count, GoDuration.parse(stepDuration).toMillis() / interval.toMillis());
    }
    return new GateSettings(interval, count, spec.failureLimit, spec.consecutiveErrorLimit,
        OnNoData.valueOf(spec.onNoData.name()), GoDuration.parse(spec.inconclusiveTimeout));
  }
}
