package dev.slipway.chaos;

import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Checks, at every state the informers observe (not only at the end), what must hold whatever happens to the
 * operator: stable capacity never below replicas − maxUnavailable, never more canary pods than the highest step
 * asks, a canary step never goes back, a gate never loses a measurement. Informers relist after an apiserver
 * or etcd restart, so the watch survives the control-plane faults it observes.
 */
final class Invariants implements AutoCloseable {
  static final String APP = "app.kubernetes.io/name";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String TRACK = "slipway.dev/track";

  /**
   * @param minReadyStable component → replicas − maxUnavailable
   * @param maxCanary component → ceil(replicas × highest setWeight / 100)
   */
  record Limits(Map<String, Integer> minReadyStable, Map<String, Integer> maxCanary) {}

  private final Limits limits;
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  /** Apps whose capacity is watched: from their first Ready on. */
  private final Set<String> armed = Collections.synchronizedSet(new HashSet<>());
  /** app → (revision, step) and (revision, gate@step) → measurements: the furthest seen. */
  private final Map<String, Progress> progress = new HashMap<>();
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<WebApp> apps;

  private record Progress(String revision, int step, Map<String, Integer> measurements) {}

  Invariants(String namespace, Limits limits) {
    this.limits = limits;
    KubernetesClient client = Cluster.client();
    pods = client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/managed-by", "slipway")
        .inform(handler((old, pod) -> checkCapacity(pod.getMetadata().getLabels().get(APP))));
    apps = client.resources(WebApp.class).inNamespace(namespace).inform(handler((old, app) -> checkProgress(app)));
  }

  private static <T> ResourceEventHandler<T> handler(BiConsumer<T, T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(null, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(oldObj, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.accept(obj, obj);
      }
    };
  }

  private synchronized void checkCapacity(String app) {
    if (app == null || !armed.contains(app)) {
      return;
    }
    List<Pod> mine = pods.getStore().list().stream().filter(p -> app.equals(p.getMetadata().getLabels().get(APP)))
        .toList();
    limits.minReadyStable().forEach((component, min) -> {
      long ready = mine.stream().filter(p -> is(p, component, "stable") && PodStates.ready(p)).count();
      if (ready < min) {
        violations.add(app + ": " + ready + " ready stable " + component + " pods, fewer than " + min);
      }
    });
    limits.maxCanary().forEach((component, max) -> {
      long canaries = mine.stream().filter(p -> is(p, component, "canary") && PodStates.running(p)).count();
      if (canaries > max) {
        violations.add(app + ": " + canaries + " canary " + component + " pods, more than the " + max + " asked");
      }
    });
  }

  private static boolean is(Pod pod, String component, String track) {
    return component.equals(pod.getMetadata().getLabels().get(COMPONENT))
        && track.equals(pod.getMetadata().getLabels().get(TRACK));
  }

  private synchronized void checkProgress(WebApp app) {
    String name = app.getMetadata().getName();
    if (WebApps.isTrue(app, "Ready")) {
      armed.add(name);
    }
    CanaryStatus canary = app.getStatus() == null ? null : app.getStatus().canary;
    if (canary == null || canary.revision == null) {
      return;
    }
    Progress before = progress.get(name);
    Map<String, Integer> measured = new HashMap<>();
    for (GateStatus g : canary.gates) {
      measured.put(g.name + "@" + g.step, g.measurements);
    }
    if (before != null && before.revision().equals(canary.revision)) {
      if (canary.step < before.step()) {
        violations.add(name + ": canary of " + canary.revision + " went back from step " + before.step() + " to "
            + canary.step);
      }
      before.measurements().forEach((gate, count) -> {
        Integer now = measured.get(gate);
        if (now == null || now < count) {
          violations.add(name + ": gate " + gate + " of " + canary.revision + " lost measurements: " + count + " → "
              + now);
        }
      });
      before.measurements().forEach((gate, count) -> measured.merge(gate, count, Math::max));
    }
    progress.put(name, new Progress(canary.revision,
        before != null && before.revision().equals(canary.revision) ? Math.max(before.step(), canary.step)
            : canary.step, measured));
  }

  List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  @Override
  public void close() {
    pods.close();
    apps.close();
  }
}
