package dev.slipway.testing;


import dev.slipway.api.v1alpha1.PolicyRef;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** WebApps in a test namespace. */
public final class WebApps {
  private final KubernetesClient client;
  private final String namespace;

  public WebApps(TestNamespace ns) {
    this.client = Cluster.client();
    this.namespace = ns.name();
  }

  public MixedOperation<WebApp, ?, Resource<WebApp>> api() {
    return client.resources(WebApp.class);
  }

  public static WebApp sample(String file) {
    try (InputStream in = Files.newInputStream(Cluster.repo().resolve("samples").resolve(file))) {
      return Cluster.client().getKubernetesSerialization().unmarshal(in, WebApp.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sample under another name, so one test namespace can hold several. */
  public static WebApp sample(String file, String name) {
    WebApp app = sample(file);
    app.getMetadata().setName(name);
    return app;
  }

  /** The app, its rollout handed to a RolloutPolicy (replacing any inline rollout settings). */
  public static WebApp usingPolicy(WebApp app, String policy) {
    app.getSpec().rollout = new RolloutSpec();
    app.getSpec().rollout.policyRef = new PolicyRef();
    app.getSpec().rollout.policyRef.name = policy;
    return app;
  }

  public WebApp create(WebApp app) {
    app.getMetadata().setNamespace(namespace);
    return api().inNamespace(namespace).resource(app).create();
  }

  public WebApp get(String name) {
    return api().inNamespace(namespace).withName(name).get();
  }

  /** Edits the spec, retrying when the operator's status write got in between (409 Conflict). */
  public WebApp edit(String name, UnaryOperator<WebApp> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return api().inNamespace(namespace).withName(name).edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  public static Optional<Condition> condition(WebApp app, String type) {
    return app.getStatus() == null ? Optional.empty()
        : app.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(WebApp app, String type) {
    return condition(app, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Waits until the status describes the current generation and satisfies `check`. */
  public WebApp await(String name, Duration timeout, Predicate<WebApp> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    WebApp app = null;
    while (System.nanoTime() < deadline) {
      app = get(name);
      if (app != null && app.getStatus() != null
          && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration) && check.test(app)) {
        return app;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("WebApp " + namespace + "/" + name + " did not reach the expected state within "
        + timeout + "; last seen: " + summary(app));
  }

  /** Phase, message and conditions: enough to tell why a wait failed. */
  public static String summary(WebApp app) {
    if (app == null || app.getStatus() == null) {
      return app == null ? "(absent)" : "(no status)";
    }
    WebAppStatus s = app.getStatus();
    return "generation=" + app.getMetadata().getGeneration() + " observedGeneration=" + s.observedGeneration
        + " phase=" + s.phase + " stable=" + s.stableRevision + " update=" + s.updateRevision + " message='"
        + s.message + "' conditions=" + s.conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + "/"
        + c.getReason()).toList();
  }

  public WebApp awaitReady(String name) {
    return await(name, Cluster.TIMEOUT, app -> isTrue(app, "Ready"));
  }

  public WebApp awaitStalled(String name) {
    return await(name, Cluster.TIMEOUT, app -> isTrue(app, "Stalled"));
  }

  public static Path samples() {
    return Cluster.repo().resolve("samples");
  }
}
