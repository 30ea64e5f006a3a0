package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One gate's run in a canary: its verdict, its tally, and its last measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStatus {
  public String name;

  @JsonPropertyDescription("The step (0-based) that runs this gate; absent for a background gate.")
  public Integer step;

  @JsonPropertyDescription("Running, Successful, Failed, Inconclusive or Skipped.")
  public String phase;

  public String message;
  public String query;
  public String condition;
  public String startedAt;
  public String lastMeasuredAt;
  public Double lastValue;
  public String lastError;

  public int measurements;
  public int passed;
  public int failures;
  public int noData;
  public int consecutiveErrors;
  public int consecutiveNoData;
  public String noDataSince;

  @JsonPropertyDescription("The last measurements, oldest first.")
  public List<MeasurementRecord> recent = new ArrayList<>();
}
