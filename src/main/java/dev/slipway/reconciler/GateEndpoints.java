package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.GateHeader;
import dev.slipway.api.v1alpha1.PrometheusQuery;
import dev.slipway.gate.PrometheusClient.Endpoint;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a gate's queries go, with the credentials a hosted Prometheus asks for, read from Secrets in the policy's
 * namespace at each measurement: a rotated token is used at the next one, and nothing is kept. Messages name
 * Secrets and keys, never their values.
 */
public final class GateEndpoints {
  private final KubernetesClient client;

  public GateEndpoints(KubernetesClient client) {
    this.client = client;
  }

  /** A Secret that cannot be read: the measurement is an error, which the gate's error limit judges. */
  public static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  public Endpoint resolve(String namespace, PrometheusQuery prometheus) throws Unreadable {
    boolean plain = (prometheus.headers == null || prometheus.headers.isEmpty())
        && prometheus.bearerTokenSecret == null && prometheus.caSecret == null;
    if (plain) {
      return Endpoint.of(prometheus.address);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (GateHeader header : prometheus.headers == null ? List.<GateHeader>of() : prometheus.headers) {
      headers.put(header.name, header.secretKeyRef != null ? read(namespace, header.secretKeyRef).trim()
          : header.value);
    }
    if (prometheus.bearerTokenSecret != null) {
      headers.put("Authorization", "Bearer " + read(namespace, prometheus.bearerTokenSecret).trim());
    }
    String ca = prometheus.caSecret == null ? null : read(namespace, prometheus.caSecret);
    return new Endpoint(prometheus.address, headers, ca);
  }

  private String read(String namespace, SecretKeySelector selector) throws Unreadable {
    String where = "Secret " + namespace + "/" + selector.getName();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(selector.getName()).get();
    } catch (KubernetesClientException e) {
      throw new Unreadable(e.getCode() == 403
          ? "the operator may not read " + where + " (install the chart with gates.readSecrets=true)"
          : "cannot read " + where + ": HTTP " + e.getCode());
    }
    if (secret == null) {
      throw new Unreadable(where + " not found");
    }
    if (secret.getData() != null && secret.getData().containsKey(selector.getKey())) {
      return new String(Base64.getDecoder().decode(secret.getData().get(selector.getKey())), StandardCharsets.UTF_8);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(selector.getKey())) {
      return secret.getStringData().get(selector.getKey());
    }
    throw new Unreadable(where + " has no key " + selector.getKey());
  }
}
