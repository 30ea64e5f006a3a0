package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.status.StatusCalculator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pod counts alone would patch a WebApp's status at every pod transition of a rollout; a status that differs
 * only in them is written at most once per interval, anything else at once. Kept in memory: after a restart
 * the first change is written at once, which is always safe.
 */
final class PodCountPacer {
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final Map<ResourceID, Instant> lastWrite = new ConcurrentHashMap<>();

  /** How long to hold `next` back, or empty to write it now. */
  Optional<Duration> holdBack(ResourceID app, WebAppStatus stored, WebAppStatus next, Instant now) {
    Instant last = lastWrite.get(app);
    if (last == null || stored == null || !StatusCalculator.sameButPodCounts(stored, next)) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, last.plus(INTERVAL));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  void written(ResourceID app, Instant now) {
    // Only the last interval's writes matter: the map never holds more than the apps written in it.
    lastWrite.values().removeIf(t -> !t.isAfter(now.minus(INTERVAL)));
    lastWrite.put(app, now);
  }
}
