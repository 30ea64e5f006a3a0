package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A canary: a second Deployment per component at the new revision, grown step by step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.steps.exists(s, has(s.setWeight))",
    message = "canary.steps needs at least one setWeight step, or no canary pod would ever start")
public class CanarySpec {
  @Required
  @Size(min = 1, max = 30)
  @JsonPropertyDescription("The steps, in order: setWeight, pause or gate. After the last one the revision is promoted.")
  public List<CanaryStep> steps = new ArrayList<>();

  @Size(max = 10)
  @JsonPropertyDescription("Gates (by name) measured for the whole canary, from its start to promotion; "
      + "one failure aborts.")
  public List<@Size(max = 63) String> backgroundGates = new ArrayList<>();

  @JsonPropertyDescription("How traffic reaches the canary: replicas (share of pods, the default) or gatewayAPI.")
  public CanaryTraffic traffic;

  @JsonPropertyDescription("The built-in gate on canary pods: not Ready for too long, or restarting. On by default.")
  public PodHealth podHealth = new PodHealth();
}
