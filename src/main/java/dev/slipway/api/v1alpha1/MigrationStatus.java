package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {
  public String revision;
  public String job;
  /** Running, Succeeded or Failed. */
  public String phase;
  public String message;
}
