package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentStatus {
  public String name;
  public String deployment;
  public String revision;
  @JsonPropertyDescription("stable or canary.")
  public String track;
  public Integer replicas;
  public Integer readyReplicas;
  public Integer updatedReplicas;
  public Integer availableReplicas;
}
