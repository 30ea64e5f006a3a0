package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Watches the pods of a namespace and keeps every state it observed, so a test can assert on what was
 * true at every observed instant of a rollout (not just at its end).
 */
public final class PodTracker implements AutoCloseable {
  private final Map<String, Pod> live = new HashMap<>();
  private final List<List<Pod>> snapshots = new ArrayList<>();
  private final Watch watch;

  public PodTracker(String namespace, Map<String, String> labels) {
    // List first, then watch from that list's resourceVersion: the first snapshot is the whole world.
    var pods = Cluster.client().pods().inNamespace(namespace).withLabels(labels);
    var list = pods.list();
    list.getItems().forEach(p -> live.put(p.getMetadata().getName(), p));
    snapshots.add(List.copyOf(live.values()));
    this.watch = pods.withResourceVersion(list.getMetadata().getResourceVersion()).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        synchronized (PodTracker.this) {
          if (action == Action.DELETED) {
            live.remove(pod.getMetadata().getName());
          } else {
            live.put(pod.getMetadata().getName(), pod);
          }
          snapshots.add(List.copyOf(live.values()));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** The largest number of matching pods seen at one instant. */
  public synchronized int max(Predicate<Pod> filter) {
    return snapshots.stream().mapToInt(s -> (int) s.stream().filter(filter).count()).max().orElse(0);
  }

  /** The smallest number of matching pods seen at one instant, from the first snapshot on. */
  public synchronized int min(Predicate<Pod> filter) {
    return snapshots.stream().mapToInt(s -> (int) s.stream().filter(filter).count()).min().orElse(0);
  }

  public synchronized int observations() {
    return snapshots.size();
  }

  public static boolean notTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean ready(Pod pod) {
    return notTerminating(pod) && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Pods that exist and run (or will): not terminating, not finished. */
  public static boolean running(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return notTerminating(pod) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  @Override
  public void close() {
    watch.close();
  }
}
