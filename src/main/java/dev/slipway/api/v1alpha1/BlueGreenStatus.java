package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Where the blue-green rollout of `revision` stands, and which slot serves. Enough to resume after a restart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStatus {
  @JsonPropertyDescription("The revision this blue-green rollout ships.")
  public String revision;

  @JsonPropertyDescription("Previewing, Paused, Promoting, Switched, Promoted or Aborted.")
  public String phase;

  @JsonPropertyDescription("The slot that serves: its track (stable or preview) is what the web Service selects "
      + "and its workers consume.")
  public String activeTrack;

  @JsonPropertyDescription("The slot that served before the switch, while it is kept for a switch back.")
  public String previousTrack;

  @JsonPropertyDescription("When the preview was ready with its prePromotionGates passed.")
  public String previewReadyAt;

  @JsonPropertyDescription("When the web Service switched to the new slot.")
  public String switchedAt;

  @JsonPropertyDescription("Why the rollout holds, when it does.")
  public String pauseReason;

  @JsonPropertyDescription("Paused by the slipway.dev/control annotation (pause); cleared by resume.")
  public boolean manualPause;

  @JsonPropertyDescription("Promotion was requested (slipway.dev/control: promote); it happens once the preview "
      + "is ready and its gates passed.")
  public boolean promotionRequested;

  @JsonPropertyDescription("Gates judged on the preview before the switch.")
  public List<GateStatus> prePromotionGates = new ArrayList<>();

  @JsonPropertyDescription("Gates judged after the switch, while the old slot is kept.")
  public List<GateStatus> postPromotionGates = new ArrayList<>();
}
