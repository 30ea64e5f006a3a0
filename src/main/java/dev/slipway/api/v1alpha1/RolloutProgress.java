package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where the rollout of `revision` stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutProgress {
  public String revision;
  /** Migrating, Workers, Web, Scheduler, RollingBack, Complete. */
  public String stage;
  public String startedAt;
  public String stageStartedAt;
}
