package dev.slipway.testing;

/**
 * A real Prometheus scraping an exporter whose series the test sets: what gate tests judge against.
 */
public final class MetricsLab implements AutoCloseable {
  public final TestExporter exporter = new TestExporter();
  public final PrometheusProcess prometheus = new PrometheusProcess(exporter.target());

  /** 100 requests a second to the app's pods of `track`, this share of them answered 5xx. */
  public void requests(String app, String track, double errorShare) {
    exporter.rate("http_requests_total{app=\"" + app + "\",track=\"" + track + "\",code=\"200\"}",
        100 * (1 - errorShare));
    exporter.rate("http_requests_total{app=\"" + app + "\",track=\"" + track + "\",code=\"500\"}",
        100 * errorShare);
  }

  public String address() {
    return prometheus.address();
  }

  @Override
  public void close() {
    prometheus.close();
    exporter.close();
  }
}
