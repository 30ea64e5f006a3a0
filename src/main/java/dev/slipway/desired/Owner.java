package dev.slipway.desired;

import dev.slipway.api.v1alpha1.WebApp;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** The WebApp that owns generated objects: garbage collection removes them with it. */
public record Owner(String name, String namespace, String uid) {

  public static Owner of(WebApp app) {
    return new Owner(app.getMetadata().getName(), app.getMetadata().getNamespace(), app.getMetadata().getUid());
  }

  OwnerReference reference() {
    return new OwnerReferenceBuilder()
        .withApiVersion(WebApp.GROUP + "/" + WebApp.VERSION)
        .withKind("WebApp")
        .withName(name)
        .withUid(uid)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  ObjectMeta meta(String objectName, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(reference())
        .build();
  }
}
