package dev.slipway.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Prometheus exporter the test controls: counters that grow at rates the test sets, so a real
 * Prometheus computes real rate() and ratio results from them.
 */
public final class TestExporter implements AutoCloseable {
  private final HttpServer server;
  /** series text (name{labels}) → [value at last change, rate per second, time of last change]. */
  private final Map<String, double[]> counters = new ConcurrentHashMap<>();
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();

  public TestExporter() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/metrics", exchange -> {
      byte[] body = render().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Makes counter `series` (e.g. `http_requests_total{track="canary",code="500"}`) grow at perSecond. */
  public synchronized void rate(String series, double perSecond) {
    double now = seconds();
    double[] c = counters.computeIfAbsent(series, s -> new double[] {0, 0, now});
    c[0] += c[1] * (now - c[2]);
    c[1] = perSecond;
    c[2] = now;
  }

  public void gauge(String series, double value) {
    gauges.put(series, value);
  }

  public void remove(String series) {
    counters.remove(series);
    gauges.remove(series);
  }

  private synchronized String render() {
    double now = seconds();
    StringBuilder out = new StringBuilder();
    new TreeMap<>(counters).forEach((series, c) ->
        out.append(series).append(' ').append(c[0] + c[1] * (now - c[2])).append('\n'));
    new TreeMap<>(gauges).forEach((series, v) -> out.append(series).append(' ').append(v).append('\n'));
    return out.toString();
  }

  private static double seconds() {
    return System.nanoTime() / 1e9;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
