package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = Autoscaling.NEEDS_CPU_REQUEST, message = Autoscaling.NEEDS_CPU_REQUEST_MESSAGE)
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
  @JsonPropertyDescription("Auto: stop-first when the pods mount a PersistentVolumeClaim, else start-first. "
      + "StartFirst or StopFirst force one.")
  public UpdateStrategy updateStrategy = UpdateStrategy.Auto;

  @JsonPropertyDescription("HTTP readiness, liveness and startup checks.")
  public HttpHealth health = new HttpHealth();
  @JsonPropertyDescription("A HorizontalPodAutoscaler on CPU; while set, Slipway leaves replicas to it. Needs a CPU "
      + "request.")
  public Autoscaling autoscaling;
  @JsonPropertyDescription("The Service in front of the web pods.")
  public ServiceSpec service = new ServiceSpec();
  @JsonPropertyDescription("The PodDisruptionBudget of the web pods.")
  public Disruption disruption = new Disruption();
}
