package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Where the rollout of `revision` stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutProgress {
  @JsonPropertyDescription("The revision being rolled out.")
  public String revision;
  @JsonPropertyDescription("Migrating, Workers, Web, Scheduler, RollingBack or Complete.")
  public String stage;
  @JsonPropertyDescription("When the rollout of this revision started.")
  public String startedAt;
  @JsonPropertyDescription("When the current stage started.")
  public String stageStartedAt;
}
