package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Records every state of a namespace's Deployments and Jobs during a rollout, each with its
 * resourceVersion: etcd's revision orders writes across all objects, unlike arrival order across two
 * watch streams.
 */
public final class WorkloadTracker implements AutoCloseable {
  /** One observed state: a component's Deployment at a revision (rolled out or not), or a Job. */
  public record Seen(String kind, String component, String revision, boolean done, long resourceVersion) {}

  private final List<Seen> seen = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  public WorkloadTracker(String namespace) {
    var client = Cluster.client();
    watches.add(client.apps().deployments().inNamespace(namespace).watch(watcher()));
    watches.add(client.batch().v1().jobs().inNamespace(namespace).watch(watcher()));
  }

  private <T extends HasMetadata> Watcher<T> watcher() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T object) {
        if (action == Action.DELETED) {
          return;
        }
        synchronized (WorkloadTracker.this) {
          seen.add(object instanceof Deployment d ? of(d) : of((Job) object));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  static Seen of(Deployment d) {
    var s = d.getStatus();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    boolean done = s != null && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && s.getUpdatedReplicas() != null && s.getUpdatedReplicas() >= replicas
        && s.getReplicas() != null && s.getReplicas().equals(s.getUpdatedReplicas())
        && s.getAvailableReplicas() != null && s.getAvailableReplicas() >= s.getUpdatedReplicas();
    return new Seen("Deployment", d.getMetadata().getLabels().get("app.kubernetes.io/component"),
        d.getSpec().getTemplate().getMetadata().getLabels().get("slipway.dev/revision"), done,
        Long.parseLong(d.getMetadata().getResourceVersion()));
  }

  static Seen of(Job j) {
    boolean complete = j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus()
        .getConditions().stream().anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    return new Seen("Job", "migrate", j.getMetadata().getLabels().get("slipway.dev/revision"), complete,
        Long.parseLong(j.getMetadata().getResourceVersion()));
  }

  /** The resourceVersion at which this component was first seen at this revision (and rolled out, if asked). */
  public synchronized OptionalLong first(String component, String revision, boolean mustBeDone) {
    return seen.stream()
        .filter(s -> s.component().equals(component) && revision.equals(s.revision()) && (!mustBeDone || s.done()))
        .mapToLong(Seen::resourceVersion)
        .min();
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
