package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ServiceSpec {
  @Pattern("^(ClusterIP|NodePort|LoadBalancer)$")
  @Default("ClusterIP")
  @JsonPropertyDescription("ClusterIP, NodePort or LoadBalancer.")
  public String type = "ClusterIP";

  @Min(1)
  @Max(65535)
  @Default("80")
  @JsonPropertyDescription("Port of the Service; it forwards to the container's http port.")
  public Integer port = 80;

  @JsonPropertyDescription("Annotations on the Service (e.g. for a cloud load balancer).")
  public Map<String, String> annotations;
}
