package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.policyRef) && has(self.rolling))",
    message = "set either rollout.policyRef or rollout.rolling, not both")
public class RolloutSpec {
  @JsonPropertyDescription("A RolloutPolicy in the same namespace.")
  public PolicyRef policyRef;

  @JsonPropertyDescription("Rolling settings when no policy is referenced.")
  public RollingSpec rolling;

  @Min(10)
  @Max(86400)
  @Default("600")
  @JsonPropertyDescription("Seconds a component may go without progress before the revision is rolled back.")
  public Integer progressDeadlineSeconds = 600;
}
