package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MeasurementRecord {
  @JsonPropertyDescription("When it was taken.")
  public String at;
  @JsonPropertyDescription("Successful, Failed, NoData or Error.")
  public String outcome;
  @JsonPropertyDescription("What the query returned; absent for no data or an error.")
  public Double value;
  @JsonPropertyDescription("Why the query failed.")
  public String error;
}
