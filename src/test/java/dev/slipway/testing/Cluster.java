package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The local control plane that `make test` started (hack/cluster.sh), as seen from tests. */
public final class Cluster {
  private Cluster() {}

  private static KubernetesClient client;
  private static boolean crdsInstalled;

  public static synchronized KubernetesClient client() {
    if (client == null) {
      String kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || !Files.exists(Path.of(kubeconfig))) {
        throw new IllegalStateException("KUBECONFIG is not set to an existing file (" + kubeconfig + "): run the "
            + "integration tests with `make test`, or `hack/cluster.sh up && eval $(hack/cluster.sh env)` first");
      }
      Config config = Config.autoConfigure(null);
      // The tests' own calls wait up to a minute: with IT classes side by side the two cores are saturated, and
      // the apiserver once took more than the default 10 s to delete a fuzz batch's WebApps. Every wait for a
      // state has its own deadline; this is only how long one request may take.
      config.setRequestTimeout((int) Duration.ofMinutes(1).toMillis());
      client = new KubernetesClientBuilder().withConfig(config).build();
    }
    return client;
  }

  /**
   * Forgets the client and the installed CRDs: after the control plane was started anew (the recovery test's
   * crash and `hack/cluster.sh up`) it has new credentials and an empty etcd.
   */
  public static synchronized void reconnect() {
    if (client != null) {
      client.close();
    }
    client = null;
    crdsInstalled = false;
  }

  public static Path repo() {
    return Path.of(System.getProperty("slipway.repo", "."));
  }

  /** Installs the checked-in CRDs (what users install) once per test run, and waits until they are served. */
  public static synchronized void ensureCrds() {
    if (crdsInstalled) {
      return;
    }
    try (Stream<Path> files = Files.list(repo().resolve("crds"))) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          List<HasMetadata> items = client().load(in).items();
          for (HasMetadata item : items) {
            client().resource(item).fieldManager("slipway-tests").forceConflicts().serverSideApply();
            client().resources(CustomResourceDefinition.class).withName(item.getMetadata().getName())
                .waitUntilCondition(Cluster::established, 60, TimeUnit.SECONDS);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    crdsInstalled = true;
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static String adminKubeconfig() {
    return System.getenv("KUBECONFIG");
  }

  /** A kubeconfig for the local control plane that authenticates with `token` (e.g. a ServiceAccount's). */
  public static Path kubeconfigWithToken(String token) {
    try {
      Path file = Files.createTempFile("slipway-kubeconfig", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, Files.readString(Path.of(operatorKubeconfig())).replaceAll("token: .*", "token: " + token));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A TokenRequest token of a ServiceAccount, valid for an hour. */
  public static String serviceAccountToken(String namespace, String name) {
    return Commands.run(Commands.tool("kubectl"), "create", "token", name, "-n", namespace, "--duration=1h").trim();
  }

  public static String operatorKubeconfig() {
    String path = System.getenv("SLIPWAY_OPERATOR_KUBECONFIG");
    return path != null ? path : System.getenv("KUBECONFIG");
  }

  public static Path auditLog() {
    String path = System.getenv("SLIPWAY_AUDIT_LOG");
    if (path == null) {
      throw new IllegalStateException("SLIPWAY_AUDIT_LOG is not set: run the tests with `make test`");
    }
    return Path.of(path);
  }

  public static final Duration TIMEOUT = Duration.ofMinutes(2);
}
