package dev.slipway.api.v1alpha1;

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
  public List<String> exec;

  @Min(1)
  @Max(3600)
  @Default("60")
  public Integer periodSeconds = 60;

  @Min(1)
  @Max(3600)
  @Default("30")
  public Integer timeoutSeconds = 30;

  @Min(1)
  @Max(100)
  @Default("3")
  public Integer failureThreshold = 3;
}
