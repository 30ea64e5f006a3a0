package dev.slipway.reconciler;

/**
 * The apiserver refused a generated object as invalid (HTTP 422): the spec passed the CRD's checks but
 * produces something Kubernetes rejects, e.g. a volume mount naming no volume. Retrying cannot help.
 */
public class InvalidObjectException extends RuntimeException {
  public InvalidObjectException(String object, String reason) {
    super("the apiserver rejected " + object + ": " + reason);
  }
}
