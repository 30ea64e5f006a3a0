package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {
  public String revision;
  public String image;
  public String startedAt;
  public String finishedAt;
  /** Progressing, Promoted, Rejected or Superseded. */
  public String outcome;
  public String reason;
}
