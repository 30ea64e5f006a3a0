package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** HTTP health checks of the web component; defaults follow the users' CapRover health check (30s/10s/40s/3). */
public class HttpHealth {
  @Default("true")
  @JsonPropertyDescription("Set false to run without probes.")
  public Boolean enabled = true;

  @Pattern("^/.*")
  @Default("/health/")
  @JsonPropertyDescription("Path the kubelet checks, for readiness, liveness and startup alike.")
  public String path = "/health/";

  // The kubelet would send the pod IP as Host; stock Django answers that with 400 unless ALLOWED_HOSTS holds it.
  @Pattern("^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?)?$")
  @Size(max = 253)
  @Default("localhost")
  @JsonPropertyDescription("Host header of the kubelet's checks. Without it the kubelet sends the pod IP, which "
      + "Django (ALLOWED_HOSTS) and other host-checking frameworks answer with 400: keep localhost in "
      + "ALLOWED_HOSTS, or name a host the app accepts. Empty: the kubelet's default, the pod IP.")
  public String host = "localhost";

  @Min(1)
  @Max(3600)
  @Default("30")
  @JsonPropertyDescription("Seconds between two readiness (and liveness) checks.")
  public Integer periodSeconds = 30;

  @Min(1)
  @Max(3600)
  @Default("10")
  @JsonPropertyDescription("Seconds one check may take before it counts as failed.")
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
