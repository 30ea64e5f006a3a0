package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {
  @JsonPropertyDescription("The revision.")
  public String revision;
  @JsonPropertyDescription("Its image.")
  public String image;
  @JsonPropertyDescription("When its rollout started.")
  public String startedAt;
  @JsonPropertyDescription("When its rollout ended.")
  public String finishedAt;
  @JsonPropertyDescription("Progressing, Promoted, Rejected or Superseded.")
  public String outcome;
  @JsonPropertyDescription("Why it ended as it did.")
  public String reason;
}
