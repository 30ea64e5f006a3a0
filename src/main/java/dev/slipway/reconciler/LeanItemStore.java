package dev.slipway.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache that keeps only what Slipway reads. Slipway decides what to apply from its own hash
 * annotation, so it never needs managedFields (a tree of field paths per writer) nor the pod specs of its
 * Deployments and Jobs (it reads their template's labels, sizes and status) nor of canary pods (their
 * restarts are in status): together most of every cached object.
 */
public class LeanItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  public LeanItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T object) {
    object.getMetadata().setManagedFields(null);
    if (object instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
      d.getSpec().getTemplate().setSpec(null);
    } else if (object instanceof Job j && j.getSpec() != null && j.getSpec().getTemplate() != null) {
      j.getSpec().getTemplate().setSpec(null);
    } else if (object instanceof Pod p) {
      p.setSpec(null);
    }
    return super.put(key, object);
  }
}
