package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** HTTP health checks of the web component; defaults follow the users' CapRover health check (30s/10s/40s/3). */
public class HttpHealth {
  @Default("true")
  @JsonPropertyDescription("Set false to run without probes.")
  public Boolean enabled = true;

  @Pattern("^/.*")
  @Default("/health/")
  public String path = "/health/";

  @Min(1)
  @Max(3600)
  @Default("30")
  public Integer periodSeconds = 30;

  @Min(1)
  @Max(3600)
  @Default("10")
  public Integer timeoutSeconds = 10;

  @Min(1)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Failed readiness checks before a pod stops receiving traffic; liveness allows twice as many.")
  public Integer failureThreshold = 3;

  @Min(0)
  @Max(3600)
  @Default("40")
  @JsonPropertyDescription("Seconds a starting pod may take before liveness checks begin (the startup probe's budget).")
  public Integer startupSeconds = 40;
}
