package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class PrometheusQuery {
  @Required
  @Size(max = 512)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090.")
  public String address;

  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("PromQL returning one number. Placeholders: {{app}}, {{namespace}}, {{component}}, "
      + "{{revision}}, {{track}} (canary while it runs).")
  public String query;
}
