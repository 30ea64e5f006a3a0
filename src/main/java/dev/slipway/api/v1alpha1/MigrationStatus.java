package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {
  public static final String SUCCEEDED = "Succeeded";

  @JsonPropertyDescription("The revision this migration belongs to.")
  public String revision;
  @JsonPropertyDescription("The Job that runs it.")
  public String job;
  @JsonPropertyDescription("Running, Succeeded or Failed.")
  public String phase;
  @JsonPropertyDescription("What the Job reported.")
  public String message;
  @JsonPropertyDescription("A hash of what the migration ran (its pod template, less the revision). A later revision "
      + "whose migration hashes the same skips it once this one succeeded: a restart, or a change to web or "
      + "workers only.")
  public String templateHash;
}
