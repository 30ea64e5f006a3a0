package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentStatus {
  @JsonPropertyDescription("The component: web, scheduler or a worker name.")
  public String name;
  @JsonPropertyDescription("The Deployment that runs it.")
  public String deployment;
  @JsonPropertyDescription("The revision its pods run.")
  public String revision;
  @JsonPropertyDescription("stable or canary.")
  public String track;
  @JsonPropertyDescription("Pods the Deployment has.")
  public Integer replicas;
  @JsonPropertyDescription("Pods that pass their readiness checks.")
  public Integer readyReplicas;
  @JsonPropertyDescription("Pods of the Deployment's current template.")
  public Integer updatedReplicas;
  @JsonPropertyDescription("Pods ready for at least minReadySeconds.")
  public Integer availableReplicas;
}
