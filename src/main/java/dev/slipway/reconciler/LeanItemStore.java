package dev.slipway.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache without managedFields. Slipway decides what to apply from its own hash annotation, never
 * from managedFields, which are a large share of every cached object (a tree of field paths per writer).
 */
public class LeanItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  public LeanItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T object) {
    object.getMetadata().setManagedFields(null);
    return super.put(key, object);
  }
}
