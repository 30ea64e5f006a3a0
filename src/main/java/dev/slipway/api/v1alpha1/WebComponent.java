package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class WebComponent extends ComponentSpec {
  @Min(1)
  @Max(65535)
  @Default("8000")
  @JsonPropertyDescription("Port the container listens on (named `http`).")
  public Integer port = 8000;

  @Min(0)
  @Max(1000)
  @Default("2")
  @JsonPropertyDescription("Pods of the web Deployment (at most 1000, as autoscaling.maxReplicas); ignored while "
      + "autoscaling is set.")
  public Integer replicas = 2;

  @Min(0)
  @Max(86400)
  @Default("30")
  public Integer terminationGracePeriodSeconds = 30;

  @Default("Auto")
  public UpdateStrategy updateStrategy = UpdateStrategy.Auto;

  public HttpHealth health = new HttpHealth();
  public Autoscaling autoscaling;
  public ServiceSpec service = new ServiceSpec();
  public Disruption disruption = new Disruption();
}
