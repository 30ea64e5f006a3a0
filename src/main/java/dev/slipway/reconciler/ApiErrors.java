package dev.slipway.reconciler;

import com.fasterxml.jackson.core.JacksonException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.regex.Pattern;

/** API errors the operator tells apart: normal outcomes, and refusals that no retry can fix. */
final class ApiErrors {
  private ApiErrors() {}

  private static final int HTTP_UNPROCESSABLE = 422;
  private static final Pattern UNBUILDABLE =
      Pattern.compile("unable to convert unstructured object|failed to create typed patch object");

  /**
   * The apiserver refused an object for what it contains, so no retry can help: a 422; a 400 (a control
   * character in a string breaks the apply patch's YAML); or the 500s server-side apply answers when it cannot
   * build the object at all (a resource quantity like "lots", which the CRD schema cannot tell from a valid
   * one; two ports or volumes of one name in a podTemplate). The fuzzing campaign found these: the operator
   * retried them forever and the app never got a verdict.
   */
  static boolean isInvalid(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && (k.getCode() == HTTP_UNPROCESSABLE || k.getCode() == HttpURLConnection.HTTP_BAD_REQUEST
        || k.getCode() == HttpURLConnection.HTTP_INTERNAL_ERROR && k.getStatus() != null
        && k.getStatus().getMessage() != null && UNBUILDABLE.matcher(k.getStatus().getMessage()).find());
  }

  /**
   * No answer from the apiserver: the connection failed or closed (fabric8 reports no status code), or the
   * apiserver or etcd is not serving yet (503, 504). Retrying soon is all there is to do.
   */
  static boolean isConnectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException) {
        // An answer we could not read (Jackson's errors are IOExceptions too): retrying would not help.
        return false;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t.getClass().getSimpleName().equals("HttpClosedException")) {
        return true;
      }
    }
    KubernetesClientException k = find(e);
    return k != null && (k.getCode() == 0 || k.getCode() == HttpURLConnection.HTTP_UNAVAILABLE
        || k.getCode() == HttpURLConnection.HTTP_GATEWAY_TIMEOUT);
  }

  /** The object is gone (e.g. the WebApp was deleted while we reconciled it). */
  static boolean isNotFound(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && k.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
  }

  /** Someone else changed the object since we read it (optimistic concurrency). */
  static boolean isConflict(Throwable e) {
    KubernetesClientException k = find(e);
    return k != null && k.getCode() == HttpURLConnection.HTTP_CONFLICT;
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
