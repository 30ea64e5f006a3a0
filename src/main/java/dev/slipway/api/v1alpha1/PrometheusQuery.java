package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;

/** Where and what a gate asks: a Prometheus-compatible HTTP API, hosted ones with their headers, token and CA. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  @Size(max = 20)
  @JsonPropertyDescription("Extra request headers of every query, e.g. X-Scope-OrgID for Mimir or Cortex.")
  public List<GateHeader> headers;

  @JsonPropertyDescription("Send Authorization: Bearer with the token in this key of a Secret in the policy's "
      + "namespace, read at each query so a rotated token is used at once (the operator needs get on Secrets: "
      + "chart value gates.readSecrets).")
  public SecretKeySelector bearerTokenSecret;

  @JsonPropertyDescription("For an https address whose certificate a private CA signed: the CA bundle (PEM) in "
      + "this key of a Secret in the policy's namespace. Without it the JVM's public CAs are trusted.")
  public SecretKeySelector caSecret;
}
