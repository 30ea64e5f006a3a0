package dev.slipway.desired;

import dev.slipway.api.v1alpha1.RollingSpec;
import dev.slipway.api.v1alpha1.RolloutPolicySpec;
import dev.slipway.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Surge settings and the progress deadline, resolved from the WebApp (or its policy). */
public record RollingSettings(IntOrString maxSurge, IntOrString maxUnavailable, int minReadySeconds,
    int progressDeadlineSeconds) {

  public static final RollingSettings DEFAULT = of(null, null);

  /** Settings of the referenced policy win over the WebApp's inline ones. */
  public static RollingSettings of(RolloutSpec rollout, RolloutPolicySpec policy) {
    RollingSpec rolling = policy != null && policy.rolling != null ? policy.rolling
        : rollout != null && rollout.rolling != null ? rollout.rolling : new RollingSpec();
    int deadline = policy != null && policy.progressDeadlineSeconds != null ? policy.progressDeadlineSeconds
        : rollout != null && rollout.progressDeadlineSeconds != null ? rollout.progressDeadlineSeconds : 600;
    return new RollingSettings(rolling.maxSurge, rolling.maxUnavailable, rolling.minReadySeconds, deadline);
  }

  /** Pods that may be unavailable at once for `replicas`, as the Deployment controller rounds it (down). */
  public int maxUnavailableFor(int replicas) {
    return scaled(maxUnavailable, replicas, false);
  }

  /** Extra pods allowed during a rollout, as the Deployment controller rounds it (up). */
  public int maxSurgeFor(int replicas) {
    return scaled(maxSurge, replicas, true);
  }

  static int scaled(IntOrString value, int replicas, boolean roundUp) {
    if (value == null) {
      return 0;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal().trim();
    int percent = Integer.parseInt(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
    long numerator = (long) percent * replicas;
    return (int) (roundUp ? (numerator + 99) / 100 : numerator / 100);
  }
}
