package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One gate's run in a canary: its verdict, its tally, and its last measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStatus {
  @JsonPropertyDescription("The gate, as named in the policy.")
  public String name;

  @JsonPropertyDescription("The step (0-based) that runs this gate; absent for a background gate.")
  public Integer step;

  @JsonPropertyDescription("Running, Successful, Failed, Inconclusive or Skipped.")
  public String phase;

  @JsonPropertyDescription("Why the gate stands where it does.")
  public String message;
  @JsonPropertyDescription("The query as sent, placeholders filled.")
  public String query;
  @JsonPropertyDescription("The CEL condition over `result`.")
  public String condition;
  @JsonPropertyDescription("When the gate started measuring.")
  public String startedAt;
  @JsonPropertyDescription("When the last measurement was taken.")
  public String lastMeasuredAt;
  @JsonPropertyDescription("The value of the last measurement with data.")
  public Double lastValue;
  @JsonPropertyDescription("Why the last failed query failed.")
  public String lastError;

  @JsonPropertyDescription("Measurements taken.")
  public int measurements;
  @JsonPropertyDescription("Measurements that met the condition.")
  public int passed;
  @JsonPropertyDescription("Measurements that did not meet the condition.")
  public int failures;
  @JsonPropertyDescription("Measurements that returned no data.")
  public int noData;
  @JsonPropertyDescription("Query errors in a row, up to now.")
  public int consecutiveErrors;
  @JsonPropertyDescription("Measurements in a row without data, up to now.")
  public int consecutiveNoData;
  @JsonPropertyDescription("Since when the query has returned no data.")
  public String noDataSince;

  @JsonPropertyDescription("The last measurements, oldest first.")
  public List<MeasurementRecord> recent = new ArrayList<>();

  /** Where the gate runs, as people count steps (from 1, as the plugin and the demo print them). */
  public String where() {
    return step == null ? "background" : "step " + (step + 1);
  }
}
