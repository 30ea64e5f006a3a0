package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.strategy != 'Canary' || has(self.canary)",
    message = "strategy Canary needs canary.steps")
@ValidationRule(value = "!has(self.gates) || self.gates.all(g, self.gates.exists_one(x, x.name == g.name))",
    message = "gate names must be unique within a RolloutPolicy")
@ValidationRule(value = "!has(self.canary) || self.canary.steps.all(s, !has(s.gate) || s.gate.metrics.all(m, "
    + "has(self.gates) && self.gates.exists(g, g.name == m)))",
    message = "every gate a canary step names must be defined in gates")
@ValidationRule(value = "!has(self.canary) || !has(self.canary.backgroundGates) || self.canary.backgroundGates.all(m, "
    + "has(self.gates) && self.gates.exists(g, g.name == m))",
    message = "every canary.backgroundGates entry must be defined in gates")
@ValidationRule(value = "!has(self.blueGreen) || ((has(self.blueGreen.prePromotionGates) ? "
    + "self.blueGreen.prePromotionGates : []) + (has(self.blueGreen.postPromotionGates) ? "
    + "self.blueGreen.postPromotionGates : [])).all(m, has(self.gates) && self.gates.exists(g, g.name == m))",
    message = "every blueGreen prePromotionGates and postPromotionGates entry must be defined in gates")
public class RolloutPolicySpec {
  public static final String ROLLING = "Rolling";
  public static final String CANARY = "Canary";
  public static final String BLUE_GREEN = "BlueGreen";

  @ValidationRule(value = "self in ['Rolling', 'Canary', 'BlueGreen']",
      message = "strategy must be Rolling, Canary or BlueGreen")
  @Default("Rolling")
  @JsonPropertyDescription("Rolling: the Deployment controller replaces pods with surge. Canary: a canary "
      + "Deployment per component grows through canary.steps, judged by gates, then the revision is promoted. "
      + "BlueGreen: the revision runs in a second slot behind a preview Service, then the web Service switches.")
  public String strategy = ROLLING;

  @JsonPropertyDescription("Surge settings; for Canary they apply to the promotion of the stable Deployments.")
  public RollingSpec rolling;

  @JsonPropertyDescription("Settings of strategy Canary: the steps, background gates, pod health and traffic.")
  public CanarySpec canary;

  @JsonPropertyDescription("Settings of strategy BlueGreen; all have defaults.")
  public BlueGreenSpec blueGreen;

  @Size(max = 20)
  @JsonPropertyDescription("Metric gates that canary steps, backgroundGates and blueGreen refer to by name.")
  public List<GateSpec> gates = new ArrayList<>();

  @Min(10)
  @Max(86400)
  @JsonPropertyDescription("Overrides the WebApp's rollout.progressDeadlineSeconds when set.")
  public Integer progressDeadlineSeconds;
}
