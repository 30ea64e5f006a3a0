package dev.slipway.reconciler;

import dev.slipway.desired.Revision;
import dev.slipway.config.FreezeGuard;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes generated objects with server-side apply (field manager `slipway`) — but only when they changed.
 * Each applied object carries the hash of what was applied, so an unchanged object costs no API call and a
 * reconcile with nothing to do makes no write at all.
 */
public final class Applier {
  public static final String FIELD_MANAGER = "slipway";
  public static final String APPLIED_HASH = "slipway.dev/applied-hash";

  private final KubernetesClient client;
  private final Counter writes;
  private final Counter deletes;

  public Applier(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    this.writes = Counter.builder("slipway_api_writes").description("Objects written by server-side apply")
        .register(registry);
    this.deletes = Counter.builder("slipway_api_deletes").description("Objects deleted").register(registry);
  }

  /**
   * Applies `desired` unless `observed` already carries its hash.
   *
   * @return true when a write was sent
   */
  public <T extends HasMetadata> boolean apply(T desired, HasMetadata observed) {
    return apply(desired, observed, d -> { });
  }

  /**
   * Like {@link #apply(HasMetadata, HasMetadata)}, with a last touch that is not part of the hash: values
   * that are echoed from the cluster rather than decided by Slipway (an autoscaler's replicas).
   */
  public <T extends HasMetadata> boolean apply(T desired, HasMetadata observed, Consumer<T> beforeSend) {
    String hash = Revision.hashOf(desired);
    if (observed != null && hash.equals(annotation(observed)) && !replicasDrifted(desired, observed)) {
      return false;
    }
    Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(
        desired.getMetadata().getAnnotations(), Map.of()));
    annotations.put(APPLIED_HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    beforeSend.accept(desired);
    FreezeGuard.checkBeforeWrite();
    try {
      client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (ApiErrors.isInvalid(e)) {
        throw new InvalidObjectException(desired.getKind() + " " + desired.getMetadata().getName(),
            e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
      }
      throw e;
    }
    writes.increment();
    return true;
  }

  /**
   * Scales a Deployment through its scale subresource, leaving its template as it is: one small write that
   * cannot be invalid, and none when it already has that size.
   */
  public void scale(Deployment observed, int replicas) {
    if (observed.getSpec().getReplicas() == null || observed.getSpec().getReplicas() != replicas) {
      FreezeGuard.checkBeforeWrite();
      client.apps().deployments().inNamespace(observed.getMetadata().getNamespace())
          .withName(observed.getMetadata().getName()).scale(replicas);
      writes.increment();
    }
  }

  public void delete(HasMetadata observed) {
    FreezeGuard.checkBeforeWrite();
    // Background: dependents (ReplicaSets, pods of Jobs) are collected by the garbage collector, never orphaned.
    client.resource(observed).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    deletes.increment();
  }

  /** Someone scaled a Deployment whose replicas Slipway owns (no autoscaler): put them back. */
  static boolean replicasDrifted(HasMetadata desired, HasMetadata observed) {
    return desired instanceof Deployment d && observed instanceof Deployment o
        && d.getSpec().getReplicas() != null && !d.getSpec().getReplicas().equals(o.getSpec().getReplicas());
  }

  static String annotation(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(APPLIED_HASH);
  }
}
