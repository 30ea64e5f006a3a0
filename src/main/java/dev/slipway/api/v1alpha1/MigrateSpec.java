package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * The migration of every revision: a Job run before any pod of the revision starts. A pod evicted by a node
 * drain or preemption is replaced rather than counted as a failure, so the command must be safe to start again
 * (Django's `migrate` is: it skips what is applied).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrateSpec {
  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription("The migration command, e.g. [python, manage.py, migrate, --noinput].")
  public List<String> command;

  @Size(max = 100)
  @JsonPropertyDescription("Arguments to the command.")
  public List<String> args;

  @Min(1)
  @Default("600")
  @JsonPropertyDescription("The migration fails when it runs longer than this.")
  public Long activeDeadlineSeconds = 600L;

  @Min(0)
  @Max(10)
  @Default("0")
  @JsonPropertyDescription("Retries before the migration counts as failed.")
  public Integer backoffLimit = 0;

  @JsonPropertyDescription("CPU and memory of the migration container (core/v1 ResourceRequirements).")
  public ResourceRequirements resources;

  @Size(max = 100)
  @ValidationRule(value = EnvRules.NAMES_BOUNDED, message = EnvRules.NAMES_BOUNDED_MESSAGE)
  @JsonPropertyDescription("Environment variables of the migration only, e.g. credentials of a database user "
      + "allowed to change the schema; one with a shared variable's name replaces it.")
  public List<EnvVar> env;

  @Size(max = 50)
  @JsonPropertyDescription("Sources of environment variables (ConfigMaps, Secrets) of the migration only, after the "
      + "shared envFrom, e.g. a Secret with the schema owner's credentials that web and workers must not hold.")
  public List<EnvFromSource> envFrom;

  @JsonPropertyDescription("Extra labels on the migration pod, after podTemplate.labels (e.g. for a network "
      + "policy that lets only it reach the database as owner).")
  public Map<String, String> podLabels;

  @JsonPropertyDescription("Extra annotations on the migration pod, after podTemplate.annotations (e.g. a "
      + "service mesh's opt-out, so the Job can finish).")
  public Map<String, String> podAnnotations;
}
