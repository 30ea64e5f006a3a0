package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A singleton (e.g. Celery beat): one pod, replaced stop-first, switched only when a revision is promoted. */
public class SchedulerComponent extends ComponentSpec {
  @Min(0)
  @Max(86400)
  @Default("30")
  @JsonPropertyDescription("Seconds the scheduler gets after SIGTERM to exit.")
  public Integer terminationGracePeriodSeconds = 30;
}
