package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One canary step: exactly one of setWeight, pause or gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.gate) ? 1 : 0) == 1",
    message = "a canary step sets exactly one of setWeight, pause or gate")
public class CanaryStep {
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Percent of each component's replicas to run at the new revision (rounded up, at least 1 pod).")
  public Integer setWeight;

  @JsonPropertyDescription("Wait: for duration, or until promoted when no duration is given.")
  public PauseStep pause;

  @JsonPropertyDescription("Measure these gates until each passes (or one fails and the canary aborts).")
  public GateStep gate;
}
