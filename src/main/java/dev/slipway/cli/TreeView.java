package dev.slipway.cli;

import dev.slipway.api.v1alpha1.BlueGreenStatus;
import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.ComponentStatus;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.desired.Labels;
import dev.slipway.gate.Measurement;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * `kubectl slipway get`: the WebApp → components → tracks → pods, the canary step, each gate's last value
 * against its condition, and the message. Pure, so its output is pinned by golden tests.
 */
public final class TreeView {
  private TreeView() {}

  public static String render(WebApp app, List<Pod> pods, String strategy, Instant now) {
    WebAppStatus s = app.getStatus() != null ? app.getStatus() : new WebAppStatus();
    List<String> lines = new ArrayList<>();
    lines.add("webapp/" + app.getMetadata().getName() + "  " + Objects.requireNonNullElse(s.phase, "Unknown") + "  "
        + strategy + "  age " + ListView.age(app.getMetadata().getCreationTimestamp(), now));
    lines.add("  revision: " + ListView.revisions(s) + (s.desiredRevisionRejected == Boolean.TRUE ? "  (rejected)" : ""));
    CanaryStatus c = s.canary != null && Objects.equals(s.canary.revision, s.updateRevision) ? s.canary : null;
    if (c != null) {
      lines.add("  canary: " + c.phase + ", step " + Math.min(c.step + 1, c.steps) + "/" + c.steps + ", weight "
          + c.weight + "% (asked " + c.setWeight + "%)" + (c.pauseReason != null ? ", paused: " + c.pauseReason : ""));
    }
    BlueGreenStatus bg = s.blueGreen;
    if (bg != null) {
      boolean inPlay = Objects.equals(bg.revision, s.updateRevision) && !"Promoted".equals(bg.phase);
      lines.add("  blue-green: serving slot " + bg.activeTrack + (inPlay ? ", " + bg.phase : "")
          + (bg.previousTrack != null ? ", kept slot " + bg.previousTrack : "")
          + (bg.pauseReason != null ? ", paused: " + bg.pauseReason : ""));
    }
    Map<String, List<ComponentStatus>> byComponent = new LinkedHashMap<>();
    // Stable before canary under each component.
    s.components.stream().sorted(Comparator.comparing((ComponentStatus x) -> x.name)
            .thenComparing(x -> !Labels.STABLE.equals(Objects.requireNonNullElse(x.track, Labels.STABLE))))
        .forEach(x -> byComponent.computeIfAbsent(x.name, k -> new ArrayList<>()).add(x));
    List<Node> components = new ArrayList<>();
    byComponent.forEach((name, tracks) -> {
      Node component = new Node(name);
      for (ComponentStatus t : tracks) {
        String track = Objects.requireNonNullElse(t.track, Labels.STABLE);
        Node trackNode = new Node(track + "  " + t.deployment + "  " + orZero(t.readyReplicas) + "/"
            + orZero(t.replicas) + " ready  @" + t.revision);
        pods.stream()
            .filter(p -> name.equals(label(p, Labels.COMPONENT)) && track.equals(label(p, Labels.TRACK)))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .forEach(p -> trackNode.children.add(new Node(pod(p))));
        component.children.add(trackNode);
      }
      components.add(component);
    });
    Node gates = new Node("gates");
    if (c != null) {
      c.gates.forEach(g -> gates.children.add(gate(g, g.where())));
    }
    if (bg != null && Objects.equals(bg.revision, s.updateRevision)) {
      bg.prePromotionGates.forEach(g -> gates.children.add(gate(g, "pre-promotion")));
      bg.postPromotionGates.forEach(g -> gates.children.add(gate(g, "post-promotion")));
    }
    if (!gates.children.isEmpty()) {
      components.add(gates);
    }
    for (int i = 0; i < components.size(); i++) {
      components.get(i).print(lines, "  ", i == components.size() - 1);
    }
    if (s.message != null) {
      lines.add("  message: " + s.message);
    }
    return String.join("\n", lines) + "\n";
  }

  private static Node gate(GateStatus g, String where) {
    return new Node(g.name + " (" + where + ")  " + g.phase + "  last "
        + (g.lastValue != null ? Measurement.readable(g.lastValue) : "-")
        + " vs " + g.condition + "  " + g.passed + "/" + g.measurements + " passed, " + g.failures + " failed"
        + (g.lastError != null ? ", error: " + g.lastError : ""));
  }

  private static String pod(Pod p) {
    boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
        .stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    int restarts = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? 0
        : p.getStatus().getContainerStatuses().stream().map(ContainerStatus::getRestartCount)
            .filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
    String state = p.getMetadata().getDeletionTimestamp() != null ? "Terminating" : ready ? "Ready" : "NotReady";
    return p.getMetadata().getName() + "  " + state + "  restarts " + restarts;
  }

  private static String label(Pod p, String key) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /** A line of the tree and the lines under it. */
  private static final class Node {
    final String text;
    final List<Node> children = new ArrayList<>();

    Node(String text) {
      this.text = text;
    }

    void print(List<String> out, String indent, boolean last) {
      out.add(indent + (last ? "└─ " : "├─ ") + text);
      for (int i = 0; i < children.size(); i++) {
        children.get(i).print(out, indent + (last ? "   " : "│  "), i == children.size() - 1);
      }
    }
  }
}
