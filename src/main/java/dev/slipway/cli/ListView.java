package dev.slipway.cli;

import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.ComponentStatus;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `kubectl slipway list`: one line per WebApp. Pure, so its output is pinned by golden tests. */
public final class ListView {
  private ListView() {}

  /**
   * @param strategies RolloutPolicy "namespace/name" → its strategy
   */
  public static String render(List<WebApp> apps, Map<String, String> strategies, boolean withNamespace,
      Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(withNamespace
        ? new String[] {"NAMESPACE", "NAME", "STRATEGY", "PHASE", "STEP", "WEIGHT", "REVISION", "READY", "AGE"}
        : new String[] {"NAME", "STRATEGY", "PHASE", "STEP", "WEIGHT", "REVISION", "READY", "AGE"});
    for (WebApp app : apps) {
      WebAppStatus s = app.getStatus() != null ? app.getStatus() : new WebAppStatus();
      CanaryStatus c = activeCanary(s);
      List<String> row = new ArrayList<>();
      if (withNamespace) {
        row.add(app.getMetadata().getNamespace());
      }
      row.add(app.getMetadata().getName());
      row.add(strategy(app, strategies));
      row.add(s.phase != null ? s.phase : "-");
      row.add(c != null ? Math.min(c.step + 1, c.steps) + "/" + c.steps : "-");
      row.add(c != null ? c.weight + "%" : "-");
      row.add(revisions(s));
      row.add(ready(s));
      row.add(age(app.getMetadata().getCreationTimestamp(), now));
      rows.add(row.toArray(String[]::new));
    }
    return Table.format(rows);
  }

  static String strategy(WebApp app, Map<String, String> strategies) {
    var rollout = app.getSpec().rollout;
    if (rollout == null || rollout.policyRef == null) {
      return "Rolling";
    }
    return strategies.getOrDefault(app.getMetadata().getNamespace() + "/" + rollout.policyRef.name, "?");
  }

  /** The canary of the revision in flight, if one runs. */
  static CanaryStatus activeCanary(WebAppStatus s) {
    CanaryStatus c = s.canary;
    return c != null && c.revision != null && c.revision.equals(s.updateRevision)
        && !"Promoted".equals(c.phase) && !"Aborted".equals(c.phase) ? c : null;
  }

  static String revisions(WebAppStatus s) {
    if (s.stableRevision == null) {
      return s.updateRevision != null ? "→ " + s.updateRevision : "-";
    }
    return s.stableRevision.equals(s.updateRevision) ? s.stableRevision : s.stableRevision + " → " + s.updateRevision;
  }

  static String ready(WebAppStatus s) {
    int ready = 0;
    int desired = 0;
    for (ComponentStatus c : s.components) {
      ready += c.readyReplicas != null ? c.readyReplicas : 0;
      desired += c.replicas != null ? c.replicas : 0;
    }
    return ready + "/" + desired;
  }

  /** kubectl's age: 45s, 12m, 5h, 3d. */
  public static String age(String timestamp, Instant now) {
    if (timestamp == null) {
      return "-";
    }
    Duration d = Duration.between(Instant.parse(timestamp), now);
    if (d.toMinutes() < 2) {
      return d.toSeconds() + "s";
    }
    if (d.toHours() < 2) {
      return d.toMinutes() + "m";
    }
    return d.toDays() < 2 ? d.toHours() + "h" : d.toDays() + "d";
  }
}
