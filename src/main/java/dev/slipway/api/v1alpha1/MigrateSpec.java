package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrateSpec {
  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription("The migration command, e.g. [python, manage.py, migrate, --noinput].")
  public List<String> command;

  @Size(max = 100)
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

  public ResourceRequirements resources;
}
