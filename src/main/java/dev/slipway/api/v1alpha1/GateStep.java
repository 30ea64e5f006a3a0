package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStep {
  @Required
  @Size(min = 1, max = 10)
  @JsonPropertyDescription("Names of gates (from the policy's gates) that must all pass.")
  public List<@Size(max = 63) String> metrics = new ArrayList<>();

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Measure for at least this long (count becomes duration / interval when that is more).")
  public String duration;
}
