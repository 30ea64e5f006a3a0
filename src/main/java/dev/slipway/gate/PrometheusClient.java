package dev.slipway.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Instant queries against Prometheus' HTTP API. A query's value is the one sample of a vector or a
 * scalar; an empty vector or NaN is no data; anything else (unreachable, timeout, bad query, a vector of
 * several series) is an error, never a value.
 */
public final class PrometheusClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Duration timeout;
  /** One client per trusted CA bundle ("" for the JVM's CAs): a client holds connections and TLS sessions. */
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  /**
   * Where a query goes: the API's base URL, headers sent with it (credentials among them, never logged), and
   * the CA bundle (PEM) that signed the server's certificate, or null for the JVM's public CAs.
   */
  public record Endpoint(String address, Map<String, String> headers, String caPem) {
    public static Endpoint of(String address) {
      return new Endpoint(address, Map.of(), null);
    }
  }

  public PrometheusClient(Duration timeout) {
    this.timeout = timeout;
  }

  public QueryResult query(String address, String promql) {
    return query(Endpoint.of(address), promql);
  }

  public QueryResult query(Endpoint endpoint, String promql) {
    String address = endpoint.address();
    try {
      URI uri = URI.create(address.replaceAll("/+$", "") + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      endpoint.headers().forEach(request::header);
      HttpResponse<String> response = client(endpoint.caPem()).send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        return new QueryResult.Failure("HTTP " + response.statusCode() + " from Prometheus at " + address
            + ": it refused the credentials (the gate's bearerTokenSecret or headers)");
      }
      return parse(response.statusCode(), response.body());
    } catch (SSLHandshakeException e) {
      return new QueryResult.Failure("TLS handshake with Prometheus at " + address + " failed (a certificate of "
          + "a private CA needs the gate's caSecret): " + e.getMessage());
    } catch (IOException e) {
      return new QueryResult.Failure("Prometheus at " + address + " unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new QueryResult.Failure("interrupted");
    } catch (GeneralSecurityException e) {
      return new QueryResult.Failure("the gate's CA bundle is not PEM certificates: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return new QueryResult.Failure("bad Prometheus address " + address + ": " + e.getMessage());
    }
  }

  private HttpClient client(String caPem) throws GeneralSecurityException {
    String key = caPem == null ? "" : caPem;
    HttpClient client = clients.get(key);
    if (client == null) {
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
      if (caPem != null) {
        builder.sslContext(trusting(caPem));
      }
      client = builder.build();
      clients.put(key, client);
    }
    return client;
  }

  /** A TLS context that trusts exactly the certificates of a PEM bundle. */
  static SSLContext trusting(String caPem) throws GeneralSecurityException {
    var certificates = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
    if (certificates.isEmpty()) {
      throw new CertificateException("no certificate in it");
    }
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      trusted.load(null, null);
    } catch (IOException e) {
      throw new KeyStoreException(e);
    }
    int i = 0;
    for (var certificate : certificates) {
      trusted.setCertificateEntry("ca-" + i++, certificate);
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
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
    if (data.path("resultType").asText().equals("vector") && data.path("result").size() > 1) {
      // Judging the first series would judge whichever pod or worker Prometheus happened to list first.
      return new QueryResult.Failure("the query returned " + data.path("result").size() + " series ("
          + seriesNames(data.path("result")) + "); a gate judges one number: aggregate them, e.g. sum(...), "
          + "max(...) or a ratio of sums");
    }
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

  /** The first two series' label sets, as PromQL writes them, and how many more. */
  private static String seriesNames(JsonNode result) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < Math.min(2, result.size()); i++) {
      List<String> labels = new ArrayList<>();
      result.get(i).path("metric").fields().forEachRemaining(label ->
          labels.add(label.getKey() + "=\"" + label.getValue().asText() + "\""));
      names.add("{" + String.join(",", labels) + "}");
    }
    return String.join(", ", names) + (result.size() > 2 ? " and " + (result.size() - 2) + " more" : "");
  }
}
