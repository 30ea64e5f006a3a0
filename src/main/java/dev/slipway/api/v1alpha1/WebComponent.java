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
  @JsonPropertyDescription("Seconds the app gets after SIGTERM to finish requests in flight and exit; the pod's grace "
      + "period is this plus drainSeconds.")
  public Integer terminationGracePeriodSeconds = 30;

  @Min(0)
  @Max(300)
  @Default("5")
  @JsonPropertyDescription("Seconds a stopping web pod keeps serving before it gets SIGTERM (a preStop pause), while "
      + "kube-proxy and load balancers stop sending it new requests; without it, requests reach a pod that is "
      + "already closing (502s on every rollout). 0 turns the pause off.")
  public Integer drainSeconds = 5;

  @Default("Auto")
  public UpdateStrategy updateStrategy = UpdateStrategy.Auto;

  public HttpHealth health = new HttpHealth();
  public Autoscaling autoscaling;
  public ServiceSpec service = new ServiceSpec();
  public Disruption disruption = new Disruption();
}
