package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How traffic reaches a canary: by its share of pods (the default), or by weights on a Gateway API HTTPRoute. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.replicas) && has(self.gatewayAPI))",
    message = "canary.traffic sets one of replicas or gatewayAPI, not both")
public class CanaryTraffic {
  @JsonPropertyDescription("The weight is the canary's share of Ready pods behind the web Service (the default).")
  public ReplicaTraffic replicas;

  @JsonPropertyDescription("Exact weights on an HTTPRoute: Slipway sets the weights of the web Service and of "
      + "<app>-web-canary in every rule that routes to the web Service, and changes nothing else in the route.")
  public GatewayApiTraffic gatewayAPI;

  /** No settings: present so a policy can say which traffic it means. */
  public static class ReplicaTraffic {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GatewayApiTraffic {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
    @JsonPropertyDescription("The HTTPRoute (gateway.networking.k8s.io/v1), in the WebApp's namespace, whose "
        + "rules send traffic to the web Service <app>-web.")
    public String httpRoute;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Web canary pods at every step, whatever the weight (the route decides the traffic). "
        + "Unset: as many as the weight of the web replicas, as with replica traffic. Workers always follow the "
        + "weight: they take tasks, not requests.")
    public Integer canaryReplicas;
  }
}
