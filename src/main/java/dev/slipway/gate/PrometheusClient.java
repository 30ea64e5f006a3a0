package dev.slipway.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Instant queries against Prometheus' HTTP API. A query's value is the first sample of a vector or a
 * scalar; an empty vector or NaN is no data; anything else (unreachable, timeout, bad query) is an error,
 * never a value.
 */
public final class PrometheusClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public PrometheusClient(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  public QueryResult query(String address, String promql) {
    URI uri = URI.create(address.replaceAll("/+$", "") + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return parse(response.statusCode(), response.body());
    } catch (IOException e) {
      return new QueryResult.Failure("Prometheus at " + address + " unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new QueryResult.Failure("interrupted");
    } catch (IllegalArgumentException e) {
      return new QueryResult.Failure("bad Prometheus address " + address + ": " + e.getMessage());
    }
  }

  static QueryResult parse(int status, String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return new QueryResult.Failure("HTTP " + status + ", not a Prometheus response");
    }
    if (!"success".equals(root.path("status").asText())) {
      return new QueryResult.Failure("HTTP " + status + ": " + root.path("errorType").asText() + ": "
          + root.path("error").asText());
    }
    JsonNode data = root.path("data");
    JsonNode sample = switch (data.path("resultType").asText()) {
      case "vector" -> data.path("result").isEmpty() ? null : data.path("result").get(0).path("value");
      case "scalar" -> data.path("result");
      default -> null;
    };
    if (sample == null || sample.size() < 2) {
      return data.path("resultType").asText().equals("vector") ? new QueryResult.Empty()
          : new QueryResult.Failure("the query must return a scalar or an instant vector, not "
              + data.path("resultType").asText());
    }
    double value;
    try {
      value = Double.parseDouble(sample.get(1).asText());
    } catch (NumberFormatException e) {
      return new QueryResult.Failure("not a number: " + sample.get(1).asText());
    }
    return Double.isNaN(value) ? new QueryResult.Empty() : new QueryResult.Value(value);
  }
}
