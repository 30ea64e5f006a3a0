package dev.slipway.testing;


import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  public WebApp create(WebApp app) {
    app.getMetadata().setNamespace(namespace);
    return api().inNamespace(namespace).resource(app).create();
  }

  public WebApp get(String name) {
    return api().inNamespace(namespace).withName(name).get();
  }

  public WebApp edit(String name, UnaryOperator<WebApp> change) {
    return api().inNamespace(namespace).withName(name).edit(change);
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
    return org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> get(name), app -> app.getStatus() != null
            && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration) && check.test(app));
  }

  public WebApp awaitReady(String name) {
    return await(name, Cluster.TIMEOUT, app -> isTrue(app, "Ready"));
  }

  public WebApp awaitStalled(String name) {
    return await(name, Cluster.TIMEOUT, app -> isTrue(app, "Stalled"));
  }

  public static WebAppStatus status(WebApp app) {
    return app.getStatus();
  }

  public static Path samples() {
    return Cluster.repo().resolve("samples");
  }
}
