package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A development machine or a CI job stopped while the local cluster runs: every process the scripts started
 * dies at once (SIGKILL: the control plane, kubelet, containerd, its shims and the pods' processes,
 * kube-proxy, CoreDNS, the forwarder), mid-rollout on the real node, and the run state stays behind. The
 * next `hack/cluster.sh up` on this machine must clean what they left and come up, and an app must become
 * Ready on the real node again. Isolated: it takes the whole cluster away from every other test.
 */
@Isolated("it replaces the whole local cluster")
@ExtendWith(ClusterExtension.class)
class RecoveryIT {
  private static final Path CLUSTER_SH = Cluster.repo().resolve("hack/cluster.sh");

  @BeforeAll
  static void imageOnTheNode(TestNamespace ns) {
    RealNodeIT.imageOnTheNode(ns);
  }

  @Test
  void aClusterKilledMidRolloutComesBackWithTheNextUp(TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(RealNodeIT.app("survivor", "web: {replicas: 2, health: {periodSeconds: 2, startupSeconds: 10}}"));
    apps.awaitReady("survivor");
    apps.edit("survivor", RealNodeIT.webEnv("VERSION_NOTE", "v2"));
    KubernetesClient before = Cluster.client();
    await().atMost(Cluster.TIMEOUT).until(() -> RealNodeIT.pods(before, ns, "survivor", "web").stream()
        .map(pod -> pod.getMetadata().getLabels().get("slipway.dev/revision")).distinct().count() > 1);

    // The crash: the operator (this run started it) and everything hack/cluster.sh started, all SIGKILLed.
    OperatorProcess.of(ns).kill();
    String crash = Commands.run(CLUSTER_SH.toString(), "crash");
    System.out.println("[RecoveryIT] " + crash.strip());
    assertThat(crash).as("what the crash killed").contains("etcd:", "kube-apiserver:", "kubelet:", "containerd:",
        "kube-proxy:", "coredns:", "apiserver-forwarder:", "containerd-shim:", "pod-init:");
    List<Long> killed = pids(crash);
    await().until(() -> killed.stream().noneMatch(RecoveryIT::alive));

    Commands.Result up = Commands.exec(List.of(CLUSTER_SH.toString(), "up"));
    System.out.println("[RecoveryIT] hack/cluster.sh up after the crash:\n" + up.output().strip());
    assertThat(up.exit()).as("hack/cluster.sh up after the crash:\n%s", up.output()).isZero();
    assertThat(up.output()).contains("stale run state found", "cleaning the real node's state", "real node",
        "up in");

    // The new control plane has new credentials and an empty etcd: the app is deployed again, as after a
    // fresh `up`, and must be Ready on the real node.
    Cluster.reconnect();
    Cluster.ensureCrds();
    Commands.run(CLUSTER_SH.toString(), "load", RealNodeIT.IMAGE);
    KubernetesClient after = Cluster.client();
    after.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns.name())
        .addToLabels("slipway.dev/test", "true").endMetadata().build()).create();
    OperatorProcess.of(ns);
    WebApps again = new WebApps(ns);
    again.create(RealNodeIT.app("survivor", "web: {replicas: 2, health: {periodSeconds: 2, startupSeconds: 10}}"));
    WebApp ready = again.awaitReady("survivor");
    List<Pod> pods = RealNodeIT.pods(after, ns, "survivor", "web");
    assertThat(pods).hasSize(2).allSatisfy(pod -> {
      assertThat(pod.getSpec().getNodeName()).isEqualTo(RealNodeIT.NODE);
      assertThat(PodStates.ready(pod)).isTrue();
    });
    assertThat(ready.getStatus().phase).isEqualTo("Healthy");
  }

  /** The PIDs in `hack/cluster.sh crash`'s "name:PID" list. */
  private static List<Long> pids(String crash) {
    Matcher m = Pattern.compile("[a-z-]+:(\\d+)").matcher(crash);
    return m.results().map(r -> Long.parseLong(r.group(1))).toList();
  }

  private static boolean alive(long pid) {
    // A zombie is dead for this purpose: it only waits for its parent (init, here) to reap it.
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      return Files.exists(status) && Arrays.stream(Files.readString(status).split("\n"))
          .noneMatch(line -> line.startsWith("State:") && line.contains("Z"));
    } catch (java.io.IOException gone) {
      return false;
    }
  }
}
