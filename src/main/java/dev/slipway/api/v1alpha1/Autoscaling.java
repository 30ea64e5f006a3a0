package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A HorizontalPodAutoscaler on CPU; while set, Slipway leaves the Deployment's replicas to it. */
@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
public class Autoscaling {
  @Min(1)
  @Max(1000)
  @Default("1")
  public Integer minReplicas = 1;

  @Required
  @Min(1)
  @Max(1000)
  public Integer maxReplicas;

  @Min(1)
  @Max(100)
  @Default("80")
  @JsonPropertyDescription("Average CPU utilisation, in percent of requests, the autoscaler aims for.")
  public Integer targetCPUUtilizationPercentage = 80;
}
