package dev.slipway.api.v1alpha1;

/** The duration syntax of the API (Go's, as in every Kubernetes tool): 30s, 10m, 1h30m, 500ms. */
public final class Durations {
  private Durations() {}

  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
}
