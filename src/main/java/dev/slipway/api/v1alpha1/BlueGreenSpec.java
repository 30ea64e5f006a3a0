package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * Blue-green: the new revision runs in the slot that does not serve, behind the preview Service, until it is
 * promoted; then the web Service's selector switches to it in one write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenSpec {
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Web pods of the preview before promotion; when absent, the web component's replicas. "
      + "Promotion grows the preview to full size before it switches.")
  public Integer previewReplicas;

  @Size(max = 10)
  @JsonPropertyDescription("Gates (by name) measured on the preview once its web pods are ready ({{track}} is "
      + "the track of the preview's slot); all must pass before promotion. One failure rejects the revision; "
      + "nothing served changes.")
  public List<@Size(max = 63) String> prePromotionGates = new ArrayList<>();

  @Size(max = 10)
  @JsonPropertyDescription("Gates (by name) measured after the switch while the old slot still runs; one failure "
      + "switches back. The old slot is scaled down only once they all passed.")
  public List<@Size(max = 63) String> postPromotionGates = new ArrayList<>();

  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("Promote this many seconds after the preview is ready and its gates passed. When "
      + "absent, wait for slipway.dev/control: promote.")
  public Integer autoPromotionSeconds;

  @Min(0)
  @Max(86400)
  @Default("30")
  @JsonPropertyDescription("Seconds the old slot keeps running after the switch, so that switching back is "
      + "instant; then it is scaled to 0.")
  public int scaleDownDelaySeconds = 30;
}
