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
  /**
   * The rule on a component with autoscaling: the autoscaler measures CPU in percent of the request (a limit
   * alone is the request too), and without one it never scales and reports only FailedGetResourceMetric.
   */
  static final String NEEDS_CPU_REQUEST = "!has(self.autoscaling) || (has(self.resources) && "
      + "((has(self.resources.requests) && 'cpu' in self.resources.requests) || "
      + "(has(self.resources.limits) && 'cpu' in self.resources.limits)))";
  static final String NEEDS_CPU_REQUEST_MESSAGE = "autoscaling needs resources.requests.cpu: the autoscaler "
      + "targets a percentage of the CPU request";

  @Min(1)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Fewest pods the autoscaler keeps.")
  public Integer minReplicas = 1;

  @Required
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most pods the autoscaler may run (at most 1000).")
  public Integer maxReplicas;

  @Min(1)
  @Max(100)
  @Default("80")
  @JsonPropertyDescription("Average CPU utilisation, in percent of requests, the autoscaler aims for.")
  public Integer targetCPUUtilizationPercentage = 80;
}
