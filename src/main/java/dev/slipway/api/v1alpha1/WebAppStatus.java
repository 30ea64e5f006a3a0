package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What Slipway reports; kstatus (Flux, Helm), Argo CD and `kubectl wait` read it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebAppStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Healthy, Progressing, Paused or Degraded.")
  public String phase;

  @JsonPropertyDescription("What is happening now, in one line (Argo CD shows it).")
  public String message;

  @JsonPropertyDescription("Ready, Reconciling and Stalled, as kstatus reads them.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The last revision that was fully rolled out.")
  public String stableRevision;

  @JsonPropertyDescription("The revision of the current spec.")
  public String updateRevision;

  @JsonPropertyDescription("True when the current spec's revision failed and was rolled back; revert it in Git.")
  public Boolean desiredRevisionRejected;

  @JsonPropertyDescription("The revision that failed; not retried until the spec changes.")
  public String rejectedRevision;

  @JsonPropertyDescription("Where the rollout of the current revision stands.")
  public RolloutProgress rollout;

  @JsonPropertyDescription("Where the canary stands, while strategy Canary ships a revision.")
  public CanaryStatus canary;

  @JsonPropertyDescription("Where the blue-green rollout stands, while strategy BlueGreen ships a revision.")
  public BlueGreenStatus blueGreen;

  @JsonPropertyDescription("The last slipway.dev/control annotation value acted on; a new value is a new request.")
  public String control;

  @JsonPropertyDescription("The migration of the current revision.")
  public MigrationStatus migration;

  @JsonPropertyDescription("Each Deployment Slipway runs for this WebApp, with its pod counts.")
  public List<ComponentStatus> components = new ArrayList<>();

  @JsonPropertyDescription("The last revisions, newest first.")
  public List<RevisionRecord> history = new ArrayList<>();
}
