package dev.slipway.control;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Manual requests without Git drift: the annotation {@value #ANNOTATION} holds `verb` or `verb:nonce`
 * (pause, resume, promote, promote-full, abort, retry). A value is acted on once: the operator records it in
 * status.control, and a request is new when the annotation differs from that record. GitOps tools leave it
 * alone: Argo CD and Flux diff only the fields the manifest in Git sets, and it is not in Git.
 *
 * @param value the annotation value, recorded once handled
 * @param verb null for a value that names no known request
 * @param retry retry a rejected revision (the one request that is not about a canary)
 */
public record ManualControl(String value, Control verb, boolean retry) {
  public static final String ANNOTATION = "slipway.dev/control";

  /** The request the WebApp carries that has not been handled yet. */
  public static Optional<ManualControl> pending(WebApp app, WebAppStatus status) {
    String value = value(app);
    if (value == null || value.isBlank() || value.equals(status.control)) {
      return Optional.empty();
    }
    String verb = value.split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
    return Optional.of(switch (verb) {
      case "retry" -> new ManualControl(value, null, true);
      case "pause", "resume", "promote", "abort" -> new ManualControl(value,
          Control.valueOf(verb.toUpperCase(Locale.ROOT)), false);
      case "promote-full" -> new ManualControl(value, Control.PROMOTE_FULL, false);
      default -> new ManualControl(value, null, false);
    });
  }

  public static String value(WebApp app) {
    Map<String, String> annotations = app.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  public boolean known() {
    return verb != null || retry;
  }

  /** Reconcile on a new control request even though the spec (and generation) did not change. */
  public static boolean changed(WebApp before, WebApp after) {
    return !Objects.equals(value(before), value(after));
  }
}
