package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MeasurementRecord {
  public String at;
  /** Successful, Failed, NoData or Error. */
  public String outcome;
  public Double value;
  public String error;
}
