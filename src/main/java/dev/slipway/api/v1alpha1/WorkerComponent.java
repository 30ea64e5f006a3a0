package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = Autoscaling.NEEDS_CPU_REQUEST, message = Autoscaling.NEEDS_CPU_REQUEST_MESSAGE)
public class WorkerComponent extends ComponentSpec {
  @Required
  @Size(min = 1, max = 30)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "!(self in ['web', 'scheduler', 'migrate'])",
      message = "worker name must not be web, scheduler or migrate: those name other components")
  @JsonPropertyDescription("Worker name: a DNS-1123 label of at most 30 characters, unique within the WebApp.")
  public String name;

  @Min(0)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Pods of this worker; ignored while autoscaling is set.")
  public Integer replicas = 1;

  @Min(0)
  @Max(86400)
  @Default("600")
  @JsonPropertyDescription("Seconds a stopping worker gets to finish its running tasks; keep it at or above the "
      + "task hard time limit (Celery's default here: 600 s).")
  public Integer terminationGracePeriodSeconds = 600;

  @Default("Auto")
  @JsonPropertyDescription("Auto: stop-first when the pods mount a PersistentVolumeClaim, else start-first. "
      + "StartFirst or StopFirst force one.")
  public UpdateStrategy updateStrategy = UpdateStrategy.Auto;

  @JsonPropertyDescription("Liveness check by command (e.g. `celery inspect ping`); none when absent.")
  public ExecHealth health;

  @JsonPropertyDescription("A HorizontalPodAutoscaler on CPU; while set, Slipway leaves replicas to it. Needs a CPU "
      + "request.")
  public Autoscaling autoscaling;
}
