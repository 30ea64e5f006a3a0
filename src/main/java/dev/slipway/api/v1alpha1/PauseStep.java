package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PauseStep {
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("How long to wait, e.g. 30s, 10m, 1h. Without it the canary waits until promoted.")
  public String duration;
}
