package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.slipway.api.v1alpha1.PrometheusQuery;
import dev.slipway.gate.PrometheusClient;
import dev.slipway.gate.PrometheusClient.Endpoint;
import dev.slipway.gate.QueryResult;
import dev.slipway.reconciler.GateEndpoints;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.MetricsLab;
import dev.slipway.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Config;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hosted Prometheus, as Grafana Cloud, Mimir or a cloud's managed service put one in front of the API: HTTPS with
 * a certificate of a private CA, and refusing any request without the tenant header and the bearer token. Here a
 * small proxy on 127.0.0.1 plays that front; behind it a real Prometheus scrapes real series. The credentials
 * come from Secrets in the real apiserver, read the way the operator reads them.
 */
@ExtendWith(ClusterExtension.class)
class GateCredentialsIT {
  static final String TOKEN = "t0ken-that-must-not-leak";
  static final String TENANT = "shop";
  static final String QUERY = "sum(up)";

  static MetricsLab metrics;
  static HttpsServer front;
  static String caPem;
  final PrometheusClient prometheus = new PrometheusClient(Duration.ofSeconds(3));

  @BeforeAll
  static void start() throws Exception {
    metrics = new MetricsLab();
    Path dir = Files.createTempDirectory("hosted-prometheus");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
        "-subj", "/CN=slipway-test-ca");
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
    openssl(dir, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-out", "server.p12",
        "-passout", "pass:test");
    caPem = Files.readString(dir.resolve("ca.crt"));

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
      keys.load(in, "test".toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, "test".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    HttpClient upstream = HttpClient.newHttpClient();
    front = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    front.setHttpsConfigurator(new HttpsConfigurator(tls));
    front.createContext("/", exchange -> {
      boolean allowed = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
          && TENANT.equals(exchange.getRequestHeaders().getFirst("X-Scope-OrgID"));
      byte[] body;
      int status;
      if (allowed) {
        try {
          HttpResponse<byte[]> response = upstream.send(HttpRequest.newBuilder(
              URI.create(metrics.address() + exchange.getRequestURI())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          status = response.statusCode();
          body = response.body();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          status = 502;
          body = new byte[0];
        }
      } else {
        status = 401;
        body = "authentication required".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    front.start();
  }

  /** Runs openssl in `dir`, where its files are. */
  static void openssl(Path dir, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"",
        dir.toString()));
    command.addAll(List.of(args));
    Commands.Result r = Commands.exec(command);
    assertThat(r.exit()).as("openssl " + String.join(" ", args) + ": " + r.output()).isZero();
  }

  @AfterAll
  static void stop() {
    if (front != null) {
      front.stop(0);
    }
    metrics.close();
  }

  static String address() {
    return "https://127.0.0.1:" + front.getAddress().getPort();
  }

  static void secret(KubernetesClient client, TestNamespace ns, String name, Map<String, String> data) {
    client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(data).build()).create();
  }

  /** A gate's endpoint whose Secrets are named `<prefix>-tenant`, `<prefix>-token` and `<prefix>-ca`. */
  static PrometheusQuery hosted(String prefix) {
    return Cluster.client().getKubernetesSerialization().unmarshal("""
        address: %s
        query: %s
        headers:
        - {name: X-Scope-OrgID, secretKeyRef: {name: %3$s-tenant, key: tenant}}
        - {name: X-Team, value: payments}
        bearerTokenSecret: {name: %3$s-token, key: token}
        caSecret: {name: %3$s-ca, key: ca.crt}
        """.formatted(address(), QUERY, prefix), PrometheusQuery.class);
  }

  @Test
  void aGateReadsItsCredentialsFromSecretsAndQueriesTheHostedPrometheus(KubernetesClient client, TestNamespace ns)
      throws Exception {
    secret(client, ns, "prometheus-token", Map.of("token", TOKEN + "\n"));
    secret(client, ns, "prometheus-tenant", Map.of("tenant", TENANT));
    secret(client, ns, "prometheus-ca", Map.of("ca.crt", caPem));
    Endpoint endpoint = new GateEndpoints(client).resolve(ns.name(), hosted("prometheus"));
    assertThat(endpoint.headers()).containsEntry("X-Team", "payments").containsEntry("X-Scope-OrgID", TENANT)
        .as("a token file's trailing newline is not part of the token")
        .containsEntry("Authorization", "Bearer " + TOKEN);

    QueryResult result = null;
    for (int i = 0; i < 40 && !(result instanceof QueryResult.Value); i++) {
      result = prometheus.query(endpoint, QUERY);
      Thread.sleep(500);
    }
    assertThat(result).as("Prometheus scrapes its exporter: sum(up) >= 1").isInstanceOfSatisfying(
        QueryResult.Value.class, v -> assertThat(v.value()).isGreaterThanOrEqualTo(1.0));

    QueryResult noToken = prometheus.query(new Endpoint(address(), Map.of("X-Scope-OrgID", TENANT), caPem), QUERY);
    assertThat(noToken).isInstanceOfSatisfying(QueryResult.Failure.class, f -> assertThat(f.message())
        .contains("HTTP 401", "refused the credentials").doesNotContain(TOKEN));
    QueryResult publicCasOnly = prometheus.query(new Endpoint(address(), endpoint.headers(), null), QUERY);
    assertThat(publicCasOnly).isInstanceOfSatisfying(QueryResult.Failure.class, f -> assertThat(f.message())
        .contains("TLS handshake", "caSecret").doesNotContain(TOKEN));
    QueryResult notPem = prometheus.query(new Endpoint(address(), endpoint.headers(), "not a certificate"), QUERY);
    assertThat(notPem).isInstanceOfSatisfying(QueryResult.Failure.class, f -> assertThat(f.message())
        .startsWith("the gate's CA bundle is not PEM certificates"));
  }

  @Test
  void aSecretThatCannotBeReadIsAnErrorThatSaysWhy(KubernetesClient client, TestNamespace ns) throws Exception {
    GateEndpoints endpoints = new GateEndpoints(client);
    assertThatThrownBy(() -> endpoints.resolve(ns.name(), hosted("absent")))
        .isInstanceOf(GateEndpoints.Unreadable.class)
        .hasMessage("Secret " + ns.name() + "/absent-tenant not found");
    secret(client, ns, "absent-tenant", Map.of("org", TENANT));
    assertThatThrownBy(() -> endpoints.resolve(ns.name(), hosted("absent")))
        .hasMessage("Secret " + ns.name() + "/absent-tenant has no key tenant");

    // An operator installed without gates.readSecrets: a ServiceAccount that may not read Secrets.
    client.serviceAccounts().inNamespace(ns.name()).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("no-secrets").endMetadata().build()).create();
    Config config = Config.fromKubeconfig(Files.readString(Cluster.kubeconfigWithToken(
        Cluster.serviceAccountToken(ns.name(), "no-secrets"))));
    try (KubernetesClient restricted = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> new GateEndpoints(restricted).resolve(ns.name(), hosted("absent")))
          .hasMessage("the operator may not read Secret " + ns.name() + "/absent-tenant (install the chart "
              + "with gates.readSecrets=true)");
    }
  }
}
