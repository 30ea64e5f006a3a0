package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** The built-in canary gate on the canary pods themselves: no Prometheus needed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodHealth {
  @Default("true")
  @JsonPropertyDescription("Abort when canary pods restart or stay not Ready too long. Default true.")
  public boolean enabled = true;

  @Min(0)
  @Max(1000)
  @Default("2")
  @JsonPropertyDescription("Container restarts tolerated in one canary pod; one more aborts. Default 2.")
  public int maxRestarts = 2;

  @Pattern(Durations.PATTERN)
  @Default("5m")
  @JsonPropertyDescription("How long the canary may have fewer Ready pods than its step asks before it aborts. "
      + "Default 5m; keep it above the startup probe's budget.")
  public String readyTimeout = "5m";
}
