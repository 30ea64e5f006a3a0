package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A liveness check by command, for workers (which serve no HTTP). */
public class ExecHealth {
  @Required
  @Size(min = 1, max = 50)
  @JsonPropertyDescription("Command run in the container; exit 0 is healthy. The kubelet expands $(VAR) here only "
      + "from env entries with a plain value: use [sh, -c, '...'] for HOSTNAME and the like.")
  public List<String> exec;

  @Min(1)
  @Max(3600)
  @Default("60")
  @JsonPropertyDescription("Seconds between two checks.")
  public Integer periodSeconds = 60;

  @Min(1)
  @Max(3600)
  @Default("30")
  @JsonPropertyDescription("Seconds one check may take before it counts as failed.")
  public Integer timeoutSeconds = 30;

  @Min(1)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Failed checks in a row before the container is restarted.")
  public Integer failureThreshold = 3;
}
