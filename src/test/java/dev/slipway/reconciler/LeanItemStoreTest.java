package dev.slipway.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {
  @Test
  void cachedDeploymentsKeepWhatSlipwayReadsAndDropManagedFieldsAndThePodSpec() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("shop-web").withNamespace("ns")
        .addToAnnotations("slipway.dev/applied-hash", "abc")
        .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("slipway").withOperation("Apply").build())
        .endMetadata().withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata()
        .addToLabels("slipway.dev/revision", "7c9f2d1").endMetadata().withNewSpec().addNewContainer().withName("web")
        .withImage("ghcr.io/example/shop:1").endContainer().endSpec().endTemplate().endSpec().build();
    LeanItemStore<Deployment> store = new LeanItemStore<>();
    store.put(store.getKey(d), d);
    Deployment cached = store.get("ns/shop-web");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).containsEntry("slipway.dev/applied-hash", "abc");
    assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
    assertThat(cached.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("slipway.dev/revision",
        "7c9f2d1");
    assertThat(cached.getSpec().getTemplate().getSpec()).as("the pod spec, never read from the cache").isNull();
  }
}
