package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.gate.GateCondition;
import dev.slipway.gate.GateJudge;
import dev.slipway.gate.GateSettings;
import dev.slipway.gate.GateSettings.OnNoData;
import dev.slipway.gate.GateVerdict;
import dev.slipway.gate.GateVerdict.Phase;
import dev.slipway.gate.Measurement;
import dev.slipway.gate.PrometheusClient;
import dev.slipway.gate.QueryResult;
import dev.slipway.gate.QueryTemplate;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.MetricsLab;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gates judged on real PromQL results from a real Prometheus scraping an exporter the test controls. */
class GatePrometheusIT {
  static final String ERROR_RATE = "sum(rate(http_requests_total{app=\"{{app}}\",track=\"{{track}}\",code=~\"5..\"}[5s]))"
      + " / sum(rate(http_requests_total{app=\"{{app}}\",track=\"{{track}}\"}[5s]))";
  static final GateSettings SETTINGS = new GateSettings(Duration.ofSeconds(1), 3, 0, 3, OnNoData.Inconclusive,
      Duration.ofSeconds(4));

  static MetricsLab metrics;
  final PrometheusClient client = new PrometheusClient(Duration.ofSeconds(2));

  @BeforeAll
  static void start() {
    metrics = new MetricsLab();
  }

  @AfterAll
  static void stop() {
    metrics.close();
  }

  @BeforeEach
  void ensurePrometheus() {
    metrics.prometheus.stop();
    metrics.prometheus.start();
  }

  static String query(String app) {
    return QueryTemplate.render(ERROR_RATE, Map.of("app", app, "track", "canary"));
  }

  /** Serves traffic with this share of 5xx for the app's canary track. */
  static void traffic(String app, double errorShare) {
    metrics.requests(app, "canary", errorShare);
  }

  /** Waits until Prometheus has enough samples to compute the rate. */
  void awaitData(String query) throws InterruptedException {
    for (int i = 0; i < 40 && !(client.query(metrics.address(), query) instanceof QueryResult.Value); i++) {
      Thread.sleep(500);
    }
  }

  /** Waits until the query's value is within 0.001 of `value`, as a rate() window moves past a change. */
  void awaitValue(String query, double value) throws InterruptedException {
    for (int i = 0; i < 40; i++) {
      if (client.query(metrics.address(), query) instanceof QueryResult.Value v && Math.abs(v.value() - value) < 0.001) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** Measures every interval until the gate is decided (or gives up), as the canary will. */
  GateVerdict run(String query, GateCondition condition, List<Measurement> measurements, Duration limit)
      throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    GateVerdict verdict = new GateVerdict(Phase.Running, "not started");
    while (Instant.now().isBefore(end)) {
      measurements.add(Measurement.of(Instant.now(), client.query(metrics.address(), query), condition));
      verdict = GateJudge.judge(SETTINGS, measurements, Instant.now());
      if (verdict.done()) {
        return verdict;
      }
      Thread.sleep(SETTINGS.interval().toMillis());
    }
    return verdict;
  }

  @Test
  void aHealthyCanaryPasses() throws Exception {
    traffic("healthy", 0.002);
    awaitData(query("healthy"));
    List<Measurement> measurements = new ArrayList<>();
    GateVerdict verdict = run(query("healthy"), GateCondition.compile("result < 0.01"), measurements,
        Duration.ofSeconds(20));
    assertThat(verdict.phase()).as(verdict.reason()).isEqualTo(Phase.Successful);
    assertThat(measurements).hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(m -> assertThat(m.value()).isBetween(0.0, 0.01));
  }

  @Test
  void anErrorRateAboveOnePercentFails() throws Exception {
    traffic("failing", 0.05);
    awaitData(query("failing"));
    List<Measurement> measurements = new ArrayList<>();
    GateVerdict verdict = run(query("failing"), GateCondition.compile("result < 0.01"), measurements,
        Duration.ofSeconds(20));
    assertThat(verdict.phase()).isEqualTo(Phase.Failed);
    assertThat(measurements).hasSize(1);
    assertThat(measurements.get(0).value()).isBetween(0.03, 0.07);
    assertThat(verdict.reason()).contains("1 of 1 measurements failed");
  }

  @Test
  void prometheusStoppedMidGateFailsClosed() throws Exception {
    traffic("outage", 0.0);
    awaitData(query("outage"));
    List<Measurement> measurements = new ArrayList<>();
    measurements.add(Measurement.of(Instant.now(), client.query(metrics.address(), query("outage")),
        GateCondition.compile("result < 0.01")));
    assertThat(measurements.get(0).outcome()).isEqualTo(Measurement.Outcome.Successful);
    metrics.prometheus.stop();
    GateVerdict verdict = run(query("outage"), GateCondition.compile("result < 0.01"), measurements,
        Duration.ofSeconds(20));
    assertThat(verdict.phase()).isEqualTo(Phase.Failed);
    assertThat(verdict.reason()).contains("3 consecutive query errors").contains("unreachable");
  }

  @Test
  void noDataIsInconclusiveThenFails() throws Exception {
    List<Measurement> measurements = new ArrayList<>();
    measurements.add(Measurement.of(Instant.now(), client.query(metrics.address(), query("silent")),
        GateCondition.compile("result < 0.01")));
    assertThat(GateJudge.judge(SETTINGS, measurements, Instant.now()).phase()).isEqualTo(Phase.Inconclusive);
    GateVerdict verdict = run(query("silent"), GateCondition.compile("result < 0.01"), measurements,
        Duration.ofSeconds(20));
    assertThat(verdict.phase()).isEqualTo(Phase.Failed);
    assertThat(verdict.reason()).contains("inconclusiveTimeout 4s");
  }

  /**
   * The seed's task-failure gate (samples/canary-policy.yaml) against what a central celery-exporter serves: a
   * series per worker hostname and task name, no pod labels. It judges the live canary workers only: not the
   * stable worker, not the dead workers of an aborted canary. A query that leaves one series per worker is refused
   * with the series named, never judged by whichever comes first.
   */
  @Test
  void theSampleTaskGateJudgesTheLiveCanaryWorkersOfACentralExporter() throws Exception {
    String canary = "celery@shop-celery-canary-7d4b9c5f6-x2kqj";
    String stable = "celery@shop-celery-5f6c7d8b9-a1b2c";
    String abortedCanary = "celery@shop-celery-canary-55aa66bb7-old00";
    celeryWorker(canary, 10, 0.5, true);
    celeryWorker(stable, 20, 0, true);
    celeryWorker(abortedCanary, 10, 10, false);
    String gateQuery;
    try (InputStream in = Files.newInputStream(Cluster.repo().resolve("samples/canary-policy.yaml"))) {
      gateQuery = Serialization.unmarshal(in, RolloutPolicy.class).getSpec().gates.stream()
          .filter(gate -> gate.name.equals("task-failures")).findFirst().orElseThrow().prometheus.query;
    }
    String query = QueryTemplate.render(gateQuery.replace("[5m]", "[5s]"),
        Map.of("app", "shop", "component", "celery", "track", "canary", "revision", "r", "namespace", "n"));
    awaitData(query);
    QueryResult result = client.query(metrics.address(), query);
    assertThat(result).as(query).isInstanceOf(QueryResult.Value.class);
    assertThat(((QueryResult.Value) result).value()).as("the live canary's 0.5 failed of 10 received a second")
        .isBetween(0.04, 0.06);

    GateCondition condition = GateCondition.compile("result < 0.02");
    assertThat(run(query, condition, new ArrayList<>(), Duration.ofSeconds(20)).phase())
        .as("the failing canary worker").isEqualTo(Phase.Failed);

    // The next release's canary worker, healthy; the failing one is gone (down, as an aborted canary's are).
    celeryWorker(canary, 10, 0.5, false);
    String healthy = "celery@shop-celery-canary-6e5f4d3c2-y7zzz";
    celeryWorker(healthy, 10, 0, true);
    awaitValue(query, 0.0);
    GateVerdict passed = run(query, condition, new ArrayList<>(), Duration.ofSeconds(20));
    assertThat(passed.phase()).as("the healthy canary worker: " + passed.reason()).isEqualTo(Phase.Successful);

    // No live canary worker: the query matches nothing, which passes only where the policy says so.
    celeryWorker(healthy, 10, 0, false);
    for (int i = 0; i < 40 && !(client.query(metrics.address(), query) instanceof QueryResult.Empty); i++) {
      Thread.sleep(500);
    }
    List<Measurement> silent = new ArrayList<>();
    GateVerdict unjudged = run(query, condition, silent, Duration.ofSeconds(20));
    assertThat(silent).allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Measurement.Outcome.NoData));
    assertThat(unjudged.phase()).as("onNoData: Inconclusive, the default").isEqualTo(Phase.Failed);
    assertThat(unjudged.reason()).startsWith("no data for");
    GateSettings pass = new GateSettings(SETTINGS.interval(), SETTINGS.count(), SETTINGS.failureLimit(),
        SETTINGS.consecutiveErrorLimit(), OnNoData.Pass, SETTINGS.inconclusiveTimeout());
    assertThat(GateJudge.judge(pass, silent, Instant.now()).phase()).as("onNoData: Pass, as the sample says")
        .isEqualTo(Phase.Successful);

    // Three canary workers (live or not), two task names each: a query per worker is six series.
    String perWorker = "rate(celery_task_failed_total{hostname=~\"(.*@)?shop-celery-canary-.*\"}[5s])";
    List<Measurement> measurements = new ArrayList<>();
    GateVerdict verdict = run(perWorker, GateCondition.compile("result < 0.02"), measurements, Duration.ofSeconds(20));
    assertThat(verdict.phase()).isEqualTo(Phase.Failed);
    assertThat(verdict.reason()).contains("3 consecutive query errors")
        .contains("the query returned 6 series").contains("hostname=\"celery@shop-celery-canary-")
        .contains("aggregate them");
  }

  /** One worker's counters as celery-exporter names them, two task names each, and whether it is up. */
  static void celeryWorker(String hostname, double receivedPerSecond, double failedPerSecond, boolean up) {
    for (String task : List.of("shop.tasks.work", "shop.tasks.mail")) {
      String labels = "{hostname=\"" + hostname + "\",name=\"" + task + "\",queue_name=\"celery\"}";
      metrics.exporter.rate("celery_task_received_total" + labels, receivedPerSecond / 2);
      metrics.exporter.rate("celery_task_failed_total" + labels, task.endsWith("work") ? failedPerSecond : 0);
    }
    metrics.exporter.gauge("celery_worker_up{hostname=\"" + hostname + "\"}", up ? 1 : 0);
  }
}
