package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentStatus {
  public String name;
  public String deployment;
  public String revision;
  public Integer replicas;
  public Integer readyReplicas;
  public Integer updatedReplicas;
  public Integer availableReplicas;
}
