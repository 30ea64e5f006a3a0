package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.web) || (has(self.workers) && size(self.workers) > 0) || has(self.scheduler)",
    message = "a WebApp needs at least one of web, workers or scheduler")
@ValidationRule(value = "!has(self.workers) || self.workers.all(w, self.workers.exists_one(x, x.name == w.name))",
    message = "worker names must be unique within a WebApp")
public class WebAppSpec {
  @Required
  @Size(min = 1, max = 512)
  // Image references are printable ASCII; a control character would also break every apply patch (YAML).
  @ValidationRule(value = "self.matches('^[!-~]+$')",
      message = "image must be an image reference without spaces or control characters")
  @JsonPropertyDescription("Container image shared by every component, e.g. registry/app@sha256:... or registry/app:1.2.3.")
  public String image;

  @Size(max = 200)
  @ValidationRule(value = EnvRules.NAMES_BOUNDED, message = EnvRules.NAMES_BOUNDED_MESSAGE)
  @JsonPropertyDescription("Environment variables for every component.")
  public List<EnvVar> env = new ArrayList<>();

  @Size(max = 50)
  @JsonPropertyDescription("Sources of environment variables (ConfigMaps, Secrets) for every component.")
  public List<EnvFromSource> envFrom = new ArrayList<>();

  @JsonPropertyDescription("Pod settings shared by every component.")
  public PodTemplate podTemplate;

  @JsonPropertyDescription("The web service: a Deployment behind a Service.")
  public WebComponent web;

  @Size(max = 20)
  @JsonPropertyDescription("Queue workers: one Deployment each.")
  public List<WorkerComponent> workers = new ArrayList<>();

  @JsonPropertyDescription("A singleton scheduler (e.g. Celery beat): never two pods at once, even during a rollout.")
  public SchedulerComponent scheduler;

  @JsonPropertyDescription("A command run once per revision, as a Job, before any pod of that revision starts.")
  public MigrateSpec migrate;

  @JsonPropertyDescription("How a new revision goes out.")
  public RolloutSpec rollout;

  @JsonPropertyDescription("When true, no new rollout step starts; running pods stay as they are.")
  public boolean paused;

  @Size(max = 64)
  @ValidationRule(value = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?"
      + "(Z|[+-][0-9]{2}:[0-9]{2})$')",
      message = "restartedAt must be an RFC 3339 time, e.g. 2026-12-07T09:30:00Z")
  @JsonPropertyDescription("Set by `kubectl slipway restart`: a new value starts a new revision that replaces every "
      + "pod in the usual order (workers, web, scheduler). Its migration runs only if the Job it would run "
      + "changed since the last successful one.")
  public String restartedAt;
}
