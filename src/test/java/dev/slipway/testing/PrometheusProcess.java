package dev.slipway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Prometheus on a free loopback port, scraping every second: the one hack/cluster.sh builds from
 * Prometheus's module with Kubernetes discovery (Debian's package has none).
 */
public final class PrometheusProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final String target;
  private Process process;

  /** Scraping one target, e.g. a {@link TestExporter}. */
  public PrometheusProcess(String target) {
    this(target, """
        - job_name: app
          static_configs: [{targets: ['%s']}]
        """.formatted(target));
  }

  /**
   * Scraping the pods of a namespace found through the apiserver with the scrape job users copy
   * (samples/apps/shop/prometheus-scrape.yaml, shown in docs/canary.md): those annotated
   * {@code prometheus.io/scrape: "true"}, with {@code app}, {@code track}, {@code revision}, {@code namespace} and
   * {@code pod} copied onto the series.
   */
  public static PrometheusProcess scrapingPods(String namespace) {
    return new PrometheusProcess("the pods of namespace " + namespace, Commands.run(
        Cluster.repo().resolve("hack/shop.sh").toString(), "scrape-config", namespace,
        Cluster.adminKubeconfig()));
  }

  /**
   * Scraping one target as a Prometheus Operator ServiceMonitor would (its `namespace` and `pod` target labels,
   * the ServiceMonitor's honorLabels), evaluating `rules` (the `groups:` of a rule file) every second.
   */
  public static PrometheusProcess withRules(String target, Map<String, String> targetLabels, String rules) {
    String labels = targetLabels.entrySet().stream().map(e -> e.getKey() + ": '" + e.getValue() + "'")
        .collect(Collectors.joining(", ", "{", "}"));
    return new PrometheusProcess(target, """
        - job_name: operator
          honor_labels: true
          metrics_path: /q/metrics
          static_configs: [{targets: ['%s'], labels: %s}]
        """.formatted(target, labels), rules);
  }

  private PrometheusProcess(String target, String scrapeConfigs) {
    this(target, scrapeConfigs, null);
  }

  private PrometheusProcess(String target, String scrapeConfigs, String rules) {
    this.target = target;
    try {
      this.dir = Files.createTempDirectory("slipway-prometheus");
      try (ServerSocket s = new ServerSocket(0)) {
        this.port = s.getLocalPort();
      }
      String ruleFiles = "";
      if (rules != null) {
        Files.writeString(dir.resolve("rules.yml"), rules);
        ruleFiles = "rule_files: ['" + dir.resolve("rules.yml") + "']\n";
      }
      Files.writeString(dir.resolve("prometheus.yml"), """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          """ + ruleFiles + """
          scrape_configs:
          """ + scrapeConfigs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  /** The `data.result` of an instant query. */
  public JsonNode query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
  }

  /** The `data.groups` of the rules API: each rule with its health, state and last error. */
  public JsonNode ruleGroups() {
    return api("/api/v1/rules").path("groups");
  }

  private JsonNode api(String path) {
    try {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return new ObjectMapper().readTree(body).path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public void start() {
    try {
      process = new ProcessBuilder(List.of(Commands.tool("prometheus"), "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start prometheus (hack/cluster.sh build builds it)", e);
    }
    Processes.awaitHttpOk(process, "prometheus", URI.create(address() + "/-/ready"), Duration.ofSeconds(30),
        () -> "see " + dir.resolve("prometheus.log"));
  }

  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "prometheus at " + address() + " scraping " + target;
  }
}
