package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutPolicySpec {
  @ValidationRule(value = "self in ['Rolling']",
      message = "strategy must be Rolling (Canary and BlueGreen are not available in this version)")
  @Default("Rolling")
  @JsonPropertyDescription("Rolling: the Deployment controller replaces pods with surge.")
  public String strategy = "Rolling";

  public RollingSpec rolling;

  @Min(10)
  @Max(86400)
  @JsonPropertyDescription("Overrides the WebApp's rollout.progressDeadlineSeconds when set.")
  public Integer progressDeadlineSeconds;
}
