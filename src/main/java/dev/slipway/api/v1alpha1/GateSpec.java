package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A metric gate: a Prometheus query measured every interval and judged by a CEL condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateSpec {
  public enum OnNoData { Inconclusive, Fail, Pass }

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name steps and backgroundGates refer to, e.g. error-rate.")
  public String name;

  @Required
  @JsonPropertyDescription("The Prometheus server and the query whose single number the condition judges.")
  public PrometheusQuery prometheus;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("CEL over `result` (the query's value, a double) that must be true to pass, "
      + "e.g. \"result < 0.01\".")
  public String condition;

  @Size(max = 63)
  @JsonPropertyDescription("The component {{component}} stands for in the query. Default web.")
  public String component;

  @Pattern(Durations.PATTERN)
  @Default("1m")
  @JsonPropertyDescription("Time between measurements; the first comes one interval after the gate starts. Default 1m.")
  public String interval = "1m";

  @Min(1)
  @Max(1000)
  @Default("3")
  @JsonPropertyDescription("Measurements to take before the gate can pass. Default 3.")
  public int count = 3;

  @Min(0)
  @Max(1000)
  @Default("0")
  @JsonPropertyDescription("Failed measurements tolerated; one more fails the gate. Default 0.")
  public int failureLimit = 0;

  @Min(1)
  @Max(1000)
  @Default("4")
  @JsonPropertyDescription("Query errors in a row (Prometheus unreachable, bad query) that fail the gate: it fails "
      + "closed, never passes. Default 4.")
  public int consecutiveErrorLimit = 4;

  @Default("Inconclusive")
  @JsonPropertyDescription("What an empty result counts as: Inconclusive (hold the canary, then fail after "
      + "inconclusiveTimeout), Fail or Pass. Default Inconclusive.")
  public OnNoData onNoData = OnNoData.Inconclusive;

  @Pattern(Durations.PATTERN)
  @Default("5m")
  @JsonPropertyDescription("How long no data may hold the canary before the gate fails. Default 5m.")
  public String inconclusiveTimeout = "5m";
}
