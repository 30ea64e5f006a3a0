package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** What every component's container has: its command, resources and extra environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ComponentSpec {
  @Size(max = 100)
  @JsonPropertyDescription("Entrypoint; the image's when empty.")
  public List<String> command;

  @Size(max = 100)
  @JsonPropertyDescription("Arguments to the command; the image's when empty.")
  public List<String> args;

  @JsonPropertyDescription("CPU and memory requests and limits of the container (core/v1 ResourceRequirements).")
  public ResourceRequirements resources;

  @Size(max = 100)
  @ValidationRule(value = EnvRules.NAMES_BOUNDED, message = EnvRules.NAMES_BOUNDED_MESSAGE)
  @JsonPropertyDescription("Environment variables of this component only; one with a shared variable's name "
      + "replaces it.")
  public List<EnvVar> env;

  @JsonPropertyDescription("Extra labels on this component's pods, after podTemplate.labels.")
  public Map<String, String> podLabels;
}
