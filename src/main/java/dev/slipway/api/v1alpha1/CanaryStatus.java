package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Where the canary of `revision` stands. Everything the canary needs to resume after a restart lives here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {
  @JsonPropertyDescription("The revision this canary ships.")
  public String revision;

  @JsonPropertyDescription("Progressing, Paused, Promoting, Promoted or Aborted.")
  public String phase;

  @JsonPropertyDescription("Index of the current step (0-based); equals steps once every step is done.")
  public int step;

  @JsonPropertyDescription("Number of steps in the policy.")
  public int steps;

  @JsonPropertyDescription("When the current step started (RFC 3339).")
  public String stepStartedAt;

  @JsonPropertyDescription("The weight the steps so far ask for, in percent.")
  public int setWeight;

  @JsonPropertyDescription("The actual weight in percent: the share of Ready pods that run the canary, or "
      + "under gatewayAPI the weight set on the HTTPRoute.")
  public int weight;

  @JsonPropertyDescription("Why the canary holds, when it does.")
  public String pauseReason;

  @JsonPropertyDescription("Paused by the slipway.dev/control annotation (pause); cleared by resume.")
  public boolean manualPause;

  @JsonPropertyDescription("Since when the canary has had fewer Ready pods than it asks for.")
  public String notReadySince;

  @JsonPropertyDescription("The gates this canary has run or is running, with their measurements.")
  public List<GateStatus> gates = new ArrayList<>();
}
