package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.config.FreezeGuard;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Kubernetes Events on a WebApp, one per transition, so `kubectl describe` tells the story. */
public final class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(WebApp app, boolean warning, String reason, String message) {
    String now = Instant.now().toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withGenerateName(app.getMetadata().getName() + ".")
          .withNamespace(app.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(app.getApiVersion())
          .withKind(app.getKind())
          .withName(app.getMetadata().getName())
          .withNamespace(app.getMetadata().getNamespace())
          .withUid(app.getMetadata().getUid())
        .endInvolvedObject()
        .withType(warning ? "Warning" : "Normal")
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent("slipway").endSource()
        .withReportingComponent("slipway.dev/operator")
        .build();
    try {
      FreezeGuard.checkBeforeWrite(); // an event is a write too: a deposed leader must not make one
      client.v1().events().inNamespace(app.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (ApiErrors.isNamespaceTerminating(e)) {
        return;
      }
      // An event is a courtesy; losing one must never fail a rollout.
      LOG.warnf("could not record event %s on %s/%s: %s", reason, app.getMetadata().getNamespace(),
          app.getMetadata().getName(), e.getMessage());
    }
  }
}
