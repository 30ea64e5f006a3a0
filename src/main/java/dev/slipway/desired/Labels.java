package dev.slipway.desired;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on everything Slipway generates. Users select by them (Prometheus relabelling, docs/canary.md; the
 * samples' gate queries; kubectl -l), so they are part of the API: renaming one breaks their queries.
 */
public final class Labels {
  private Labels() {}

  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String REVISION = "slipway.dev/revision";
  public static final String TRACK = "slipway.dev/track";
  public static final String MANAGER = "slipway";
  public static final String STABLE = "stable";
  public static final String CANARY = "canary";
  /** A blue-green slot: the one that does not serve runs the new revision behind the preview Service. */
  public static final String PREVIEW = "preview";

  /** The selector for everything Slipway owns: informers watch only this. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  /** Selects every pod of a component, whatever its track: what Services and PDBs select. */
  public static Map<String, String> componentSelector(String app, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, app);
    labels.put(COMPONENT, component);
    return labels;
  }

  /** Selects the pods of one track of a component: a Deployment's (immutable) selector. */
  public static Map<String, String> trackSelector(String app, String component, String track) {
    Map<String, String> labels = componentSelector(app, component);
    labels.put(TRACK, track);
    return labels;
  }

  /** The labels of an object (or pod) of a revision. */
  public static Map<String, String> of(String app, String component, String revision, String track) {
    Map<String, String> labels = componentSelector(app, component);
    labels.put(MANAGED_BY, MANAGER);
    if (revision != null) {
      labels.put(REVISION, revision);
    }
    if (track != null) {
      labels.put(TRACK, track);
    }
    return labels;
  }
}
