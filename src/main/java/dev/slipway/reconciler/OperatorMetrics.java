package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.desired.Owner;
import dev.slipway.gate.Measurement;
import dev.slipway.status.Conditions;
import dev.slipway.status.Phase;
import dev.slipway.status.StatusCalculator;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * One series per Stalled WebApp, computed from the informer's cache at each scrape (as kube-state-metrics
   * does): the alerts name the app, and tell a rejected release the stable revision still serves from an app
   * that serves nothing. Nothing is kept in sync, and a deleted app's series is gone at the next scrape. Only
   * the leader's cache holds apps, so a standby replica exports none.
   */
  void seriesOfStalledApps(IndexedResourceCache<WebApp> cache) {
    findPrometheus(registry).ifPresent(prometheus -> new StalledApps(cache).register(prometheus));
  }

  /** Describable: registering it must not read the cache, which starts later (and on the leader only). */
  private static final class StalledApps extends Collector implements Collector.Describable {
    private final IndexedResourceCache<WebApp> cache;

    StalledApps(IndexedResourceCache<WebApp> cache) {
      this.cache = cache;
    }

    @Override
    public List<MetricFamilySamples> collect() {
      List<MetricFamilySamples.Sample> samples;
      try {
        samples = cache.list().map(OperatorMetrics::stalled).flatMap(Optional::stream)
            .map(s -> new MetricFamilySamples.Sample(STALLED, STALLED_LABELS, List.of(s.namespace(), s.webapp(),
                s.reason(), String.valueOf(s.stableServing())), 1))
            .toList();
      } catch (RuntimeException notStarted) {
        // A standby replica's cache never started (JOSDK gives no way to ask): it has no apps to report.
        samples = List.of();
      }
      return List.of(family(samples));
    }

    @Override
    public List<MetricFamilySamples> describe() {
      return List.of(family(List.of()));
    }

    private static MetricFamilySamples family(List<MetricFamilySamples.Sample> samples) {
      return new MetricFamilySamples(STALLED, Type.GAUGE, "WebApps whose Stalled condition is True: 1, with its "
          + "reason and whether a stable revision still serves", samples);
    }
  }

  static final String STALLED = "slipway_webapp_stalled";
  static final List<String> STALLED_LABELS = List.of("namespace", "webapp", "reason", "stable_serving");

  /** @param stableServing a stable revision exists and it is not the one that lost its availability */
  record StalledApp(String namespace, String webapp, String reason, boolean stableServing) {}

  static Optional<StalledApp> stalled(WebApp app) {
    WebAppStatus status = app.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    return Conditions.find(status.conditions, Conditions.STALLED).filter(c -> "True".equals(c.getStatus()))
        .map(c -> new StalledApp(app.getMetadata().getNamespace(), app.getMetadata().getName(), c.getReason(),
            status.stableRevision != null && !StatusCalculator.COMPONENT_UNAVAILABLE.equals(c.getReason())));
  }

  private static Optional<CollectorRegistry> findPrometheus(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return Optional.of(prometheus.getPrometheusRegistry());
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      return composite.getRegistries().stream().map(OperatorMetrics::findPrometheus).flatMap(Optional::stream)
          .findFirst();
    }
    return Optional.empty();
  }

  /** By app as well: the gate alert names the app whose canary it judged. */
  void measured(Owner app, String gate, Measurement m) {
    registry.counter("slipway_gate_measurements_total", "namespace", app.namespace(), "webapp", app.name(), "gate", gate,
        "result", m.outcome().name()).increment();
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
