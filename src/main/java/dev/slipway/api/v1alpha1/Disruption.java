package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** The PodDisruptionBudget of a component. */
public class Disruption {
  @ValidationRule(value = "string(self).matches('^([0-9]{1,5}|[0-9]{1,3}%)$')",
      message = "disruption.maxUnavailable must be a count (1) or a percentage (25%)")
  @JsonPropertyDescription("Pods a voluntary disruption (a node drain) may take down at once; default 1.")
  public IntOrString maxUnavailable = new IntOrString(1);
}
