package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Watches the objects of one kind in a namespace and keeps every state it observed, so a test can assert on
 * what was true at every observed instant of a rollout (not just at its end).
 */
public final class Tracker<T extends HasMetadata> implements AutoCloseable {
  private final Map<String, T> live = new HashMap<>();
  private final List<List<T>> snapshots = new ArrayList<>();
  private final Watch watch;

  public static Tracker<Pod> pods(String namespace, Map<String, String> labels) {
    return new Tracker<>(Cluster.client().pods().inNamespace(namespace).withLabels(labels));
  }

  public static Tracker<ReplicaSet> replicaSets(String namespace, Map<String, String> labels) {
    return new Tracker<>(Cluster.client().apps().replicaSets().inNamespace(namespace).withLabels(labels));
  }

  private Tracker(FilterWatchListDeletable<T, ? extends KubernetesResourceList<T>, ?> objects) {
    // List first, then watch from that list's resourceVersion: the first snapshot is the whole world.
    var list = objects.list();
    list.getItems().forEach(o -> live.put(o.getMetadata().getName(), o));
    snapshots.add(List.copyOf(live.values()));
    this.watch = objects.withResourceVersion(list.getMetadata().getResourceVersion()).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, T object) {
        synchronized (Tracker.this) {
          if (action == Action.DELETED) {
            live.remove(object.getMetadata().getName());
          } else {
            live.put(object.getMetadata().getName(), object);
          }
          snapshots.add(List.copyOf(live.values()));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** The largest number of matching objects seen at one instant. */
  public int max(Predicate<T> filter) {
    return maxOf(s -> (int) s.stream().filter(filter).count());
  }

  /** The smallest number of matching objects seen at one instant, from the first snapshot on. */
  public synchronized int min(Predicate<T> filter) {
    return snapshots.stream().mapToInt(s -> (int) s.stream().filter(filter).count()).min().orElse(0);
  }

  /** The largest value of a measure of everything seen at one instant. */
  public synchronized int maxOf(ToIntFunction<List<T>> measure) {
    return snapshots.stream().mapToInt(measure).max().orElse(0);
  }

  public synchronized int observations() {
    return snapshots.size();
  }

  /** What the ReplicaSets of a Deployment ask for together: the number the Deployment controller bounds by surge. */
  public static int specReplicas(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().map(rs -> rs.getSpec().getReplicas()).filter(Objects::nonNull)
        .mapToInt(Integer::intValue).sum();
  }

  @Override
  public void close() {
    watch.close();
  }
}
