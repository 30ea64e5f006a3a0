package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.gate.Measurement;
import dev.slipway.status.Phase;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The operator's own metrics, all named slipway_*; the chart's alerts and dashboard read them. */
final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Timer promoted;
  private final Timer rejected;
  private final Counter reconcileErrors;

  OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.promoted = Timer.builder("slipway_rollout_promote")
        .description("From the start of a rollout to the promotion of its revision")
        .publishPercentileHistogram().register(registry);
    this.rejected = Timer.builder("slipway_rollout_abort")
        .description("From the start of a rollout to the rejection of its revision")
        .publishPercentileHistogram().register(registry);
    this.reconcileErrors = Counter.builder("slipway_reconcile_errors_total")
        .description("Reconciles that ended with an error (retried with backoff)").register(registry);
  }

  /** WebApps by phase, counted from the informer's cache when scraped: nothing to keep in sync. */
  void countPhases(IndexedResourceCache<WebApp> cache) {
    for (Phase phase : Phase.values()) {
      Gauge.builder("slipway_webapps", cache, c -> c.list()
              .filter(app -> app.getStatus() != null && phase.name().equals(app.getStatus().phase)).count())
          .description("WebApps by status.phase").tag("phase", phase.name()).register(registry);
    }
  }

  void measured(String gate, Measurement m) {
    registry.counter("slipway_gate_measurements_total", "gate", gate, "result", m.outcome().name()).increment();
  }

  void reconcileFailed() {
    reconcileErrors.increment();
  }

  /** A status change: a new stage or canary step, a promotion or a rejection. */
  void transition(WebAppStatus before, WebAppStatus after, Instant now) {
    String stage = after.rollout != null ? after.rollout.stage : after.phase;
    registry.counter("slipway_rollout_transitions_total", "stage", String.valueOf(stage)).increment();
    String startedAt = before.rollout != null ? before.rollout.startedAt : null;
    if (startedAt == null) {
      return;
    }
    Duration took = Duration.between(Instant.parse(startedAt), now);
    if (!Objects.equals(before.stableRevision, after.stableRevision)) {
      promoted.record(took);
    } else if (after.rejectedRevision != null && !after.rejectedRevision.equals(before.rejectedRevision)) {
      rejected.record(took);
    }
  }
}
