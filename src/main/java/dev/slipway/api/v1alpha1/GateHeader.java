package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** A request header of a gate's queries, e.g. a tenant header of Mimir or Cortex; its value given or from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.secretKeyRef)",
    message = "a gate header sets exactly one of value or secretKeyRef")
public class GateHeader {
  @Required
  @Size(min = 1, max = 256)
  @Pattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
  // The HTTP client sets these itself and refuses them from callers.
  @ValidationRule(value = "!self.matches('(?i)^(host|connection|content-length|expect|upgrade)$')",
      message = "a gate header must not be Host, Connection, Content-Length, Expect or Upgrade")
  @JsonPropertyDescription("Header name, e.g. X-Scope-OrgID.")
  public String name;

  @Size(max = 4096)
  @JsonPropertyDescription("Header value, as written.")
  public String value;

  @JsonPropertyDescription("Header value read from a key of a Secret in the policy's namespace at each query "
      + "(the operator needs get on Secrets: chart value gates.readSecrets).")
  public SecretKeySelector secretKeyRef;
}
