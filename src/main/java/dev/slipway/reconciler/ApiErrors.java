package dev.slipway.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** API errors the operator tells apart: normal outcomes, and refusals that no retry can fix. */
final class ApiErrors {
  private ApiErrors() {}

  private static final int HTTP_UNPROCESSABLE = 422;

  /**
   * The apiserver refused an object for what it contains, so no retry can help: a 422; a 400 (a control
   * character in a string breaks the apply patch's YAML); or the 500 server-side apply answers when a field
   * cannot even be converted (a resource quantity like "lots", which the CRD schema cannot tell from a valid
   * one). The fuzzing campaign found the last two: the operator retried them forever, the app had no verdict.
   */
  static boolean isInvalid(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && (k.getCode() == HTTP_UNPROCESSABLE || k.getCode() == HttpURLConnection.HTTP_BAD_REQUEST
        || k.getCode() == HttpURLConnection.HTTP_INTERNAL_ERROR && k.getStatus() != null
        && k.getStatus().getMessage() != null && k.getStatus().getMessage().contains("unable to convert unstructured"));
  }

  /** The object is gone (e.g. the WebApp was deleted while we reconciled it). */
  static boolean isNotFound(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && k.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
  }

  /** Its namespace is being deleted: everything in it is about to go, the WebApp included. */
  static boolean isNamespaceTerminating(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && k.getCode() == HttpURLConnection.HTTP_FORBIDDEN && k.getStatus() != null
        && k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null
        && k.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  private static KubernetesClientException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }
}
