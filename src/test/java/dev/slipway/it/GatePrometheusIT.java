package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.slipway.testing.MetricsLab;
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
}
