package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Surge settings handed to the Deployment controller. */
@ValidationRule(value = "!(string(self.maxSurge) in ['0', '0%'] && string(self.maxUnavailable) in ['0', '0%'])",
    message = "maxSurge and maxUnavailable must not both be zero: the rollout could never make progress")
public class RollingSpec {
  @ValidationRule(value = "string(self).matches('^([0-9]{1,5}|[0-9]{1,3}%)$')",
      message = "maxSurge must be a count (1) or a percentage (25%)")
  @JsonPropertyDescription("Extra pods allowed above replicas during a rollout (count or percentage); default 1.")
  public IntOrString maxSurge = new IntOrString(1);

  @ValidationRule(value = "string(self).matches('^([0-9]{1,5}|[0-9]{1,3}%)$')",
      message = "maxUnavailable must be a count (1) or a percentage (25%)")
  @JsonPropertyDescription("Pods allowed below replicas during a rollout (count or percentage); default 1.")
  public IntOrString maxUnavailable = new IntOrString(1);

  @Min(0)
  @Max(3600)
  @Default("0")
  @JsonPropertyDescription("Seconds a new pod must be Ready before it counts as available.")
  public Integer minReadySeconds = 0;
}
