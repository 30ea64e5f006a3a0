package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.Processes;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator's own image, built by `make image BASES=local` (the JRE base made here from Debian packages),
 * run by Testcontainers the way the chart runs it: as its non-root user, on a read-only root filesystem with
 * only /tmp writable. It must start, serve its health endpoints and take a WebApp to Ready on the local
 * control plane.
 */
@ExtendWith(ClusterExtension.class)
class ImageIT {
  static final String IMAGE = "slipway.local/slipway:it";

  @BeforeAll
  static void buildTheImage() {
    Commands.Result build = Commands.exec(List.of(Cluster.repo().resolve("hack/images.sh").toString(), "operator"),
        Map.of("IMAGE", IMAGE, "BASES", "local"));
    assertThat(build.exit()).as("hack/images.sh operator:\n%s", build.output()).isZero();
  }

  @Test
  void runsAsItsNonRootUserOnAReadOnlyRootFilesystemAndReconciles(TestNamespace ns) throws Exception {
    int port = Processes.freePort();
    // The image's operator alone reconciles the test namespace: this class starts no operator of its own.
    try (GenericContainer<?> operator = new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withImagePullPolicy(image -> false) // a missing local image fails at once, nothing is pulled
        // The control plane listens on loopback only; the container shares the host's network to reach it.
        .withNetworkMode("host")
        .withFileSystemBind(readableKubeconfig().toString(), "/etc/slipway/kubeconfig", BindMode.READ_ONLY)
        .withEnv(Map.of("KUBECONFIG", "/etc/slipway/kubeconfig", "QUARKUS_HTTP_PORT", String.valueOf(port),
            "POD_NAMESPACE", ns.name(), "QUARKUS_OPERATOR_SDK_NAMESPACES", ns.name()))
        .withTmpFs(Map.of("/tmp", "rw,size=64m"))
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))) {
      operator.start();
      Processes.awaitHttpOk("the operator container", operator::isRunning,
          URI.create("http://127.0.0.1:" + port + "/q/health/ready"), Duration.ofSeconds(90), operator::getLogs);
      assertThat(get(port, "/q/health/live")).contains("\"UP\"");

      ExecResult id = operator.execInContainer("id", "-u");
      assertThat(id.getStdout().trim()).as("runs as the image's user").isEqualTo("185");
      ExecResult write = operator.execInContainer("sh", "-c", "touch /deployments/x");
      assertThat(write.getExitCode()).isNotZero();
      assertThat(write.getStderr()).contains("Read-only file system");

      WebApps apps = new WebApps(ns);
      apps.create(WebApps.sample("django-celery.yaml"));
      assertThat(apps.awaitReady("shop").getStatus().phase).isEqualTo("Healthy");
      assertThat(OperatorProcess.UNEXPECTED.matcher(operator.getLogs()).find())
          .as("errors in the container's log:\n%s", operator.getLogs()).isFalse();
    }
  }

  /** The operator's kubeconfig, readable by the image's user (the original is root's alone). */
  static Path readableKubeconfig() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "image-it"));
    Path copy = dir.resolve("kubeconfig");
    Files.copy(Path.of(Cluster.operatorKubeconfig()), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    return copy.toAbsolutePath();
  }

  static String get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
