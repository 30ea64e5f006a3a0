package dev.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Prometheus (Debian's package) on a free loopback port, scraping a {@link TestExporter} every second. */
public final class PrometheusProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final String target;
  private Process process;

  public PrometheusProcess(String target) {
    this.target = target;
    try {
      this.dir = Files.createTempDirectory("slipway-prometheus");
      try (ServerSocket s = new ServerSocket(0)) {
        this.port = s.getLocalPort();
      }
      Files.writeString(dir.resolve("prometheus.yml"), """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          scrape_configs:
          - job_name: app
            static_configs: [{targets: ['%s']}]
          """.formatted(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public void start() {
    try {
      process = new ProcessBuilder(List.of("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start prometheus (hack/cluster.sh build installs Debian's package)", e);
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
