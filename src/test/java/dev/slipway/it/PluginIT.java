package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kubectl-slipway, installed by the project's own script, steering a real canary as a user would. */
@ExtendWith(ClusterExtension.class)
class PluginIT {
  static final Path BIN = Cluster.repo().resolve("target/plugin-it/bin");
  static final String PLUGIN = BIN.resolve("kubectl-slipway").toString();

  @BeforeAll
  static void install() {
    OperatorProcess.shared();
    Map<String, String> env = Map.of("BINDIR", BIN.toString(),
        "PLUGIN_HOME", Cluster.repo().resolve("target/plugin-it/home").toString());
    Commands.Result r = exec(env, List.of(Cluster.repo().resolve("hack/install-plugin.sh").toString()));
    assertThat(r.exit()).as(r.output()).isZero();
  }

  static Commands.Result exec(Map<String, String> env, List<String> command) {
    return Commands.exec(command, env);
  }

  /** The plugin with the test cluster's kubeconfig; returns exit code and output. */
  static Commands.Result slipway(String... args) {
    List<String> command = new ArrayList<>(List.of(PLUGIN));
    command.addAll(List.of(args));
    return Commands.exec(command, Map.of());
  }

  static String ok(String... args) {
    Commands.Result r = slipway(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
    return r.output();
  }

  @Test
  void steersACanaryPausePromoteAbortUndo(KubernetesClient client, TestNamespace ns) {
    RolloutPolicy policy = client.getKubernetesSerialization().unmarshal("""
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: manual}
        spec:
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {duration: 1h}}, {setWeight: 100}]
        """, RolloutPolicy.class);
    client.resource(policy).inNamespace(ns.name()).create();
    WebApps apps = new WebApps(ns);
    WebApp app = WebApps.usingPolicy(WebApps.sample("django-celery.yaml"), "manual");
    apps.create(app);
    assertThat(slipway("status", "shop", "-n", ns.name(), "--timeout", "90s").exit()).isZero();
    String first = apps.get("shop").getStatus().stableRevision;

    apps.edit("shop", a -> {
      a.getSpec().image = "ghcr.io/example/shop:1.1.0";
      return a;
    });
    Commands.Result waiting = slipway("status", "shop", "-n", ns.name(), "--timeout", "10s");
    assertThat(waiting.exit()).as("paused at the indefinite pause: still not done").isEqualTo(2);
    assertThat(waiting.output()).contains("Paused", "(timeout 10s)");

    String list = ok("list", "-n", ns.name());
    assertThat(list).contains("NAME", "STRATEGY", "shop", "Canary", "Paused", "2/5", first + " → ");
    String tree = ok("get", "shop", "-n", ns.name());
    assertThat(tree).contains("webapp/shop  Paused  Canary", "canary: Paused, step 2/5", "shop-web-canary",
        "stable  shop-web", "pauses until promoted");

    assertThat(ok("promote", "shop", "-n", ns.name())).contains("promote requested", "acknowledged");
    apps.await("shop", Duration.ofSeconds(30), a -> a.getStatus().canary.step == 3);
    assertThat(ok("pause", "shop", "-n", ns.name())).contains("acknowledged");
    apps.await("shop", Duration.ofSeconds(30), a -> "Paused".equals(a.getStatus().phase));
    ok("resume", "shop", "-n", ns.name());
    ok("promote", "--full", "shop", "-n", ns.name());
    assertThat(slipway("get", "shop", "-n", ns.name(), "--watch", "--until-done").exit()).isZero();
    String second = apps.get("shop").getStatus().stableRevision;
    assertThat(second).isNotEqualTo(first);

    apps.edit("shop", a -> {
      a.getSpec().image = "ghcr.io/example/shop:1.2.0";
      return a;
    });
    apps.await("shop", Duration.ofSeconds(30), a -> a.getStatus().canary != null
        && a.getStatus().canary.revision.equals(a.getStatus().updateRevision));
    ok("abort", "shop", "-n", ns.name());
    Commands.Result degraded = slipway("status", "shop", "-n", ns.name(), "--timeout", "30s");
    assertThat(degraded.exit()).isEqualTo(1);
    assertThat(degraded.output()).contains("Degraded", "aborted by request");

    String history = ok("history", "shop", "-n", ns.name());
    assertThat(history).contains("REVISION", first, second, "Promoted", "Rejected", "ghcr.io/example/shop:1.2.0");
    assertThat(ok("undo", "shop", "-n", ns.name())).contains("spec set back", "ghcr.io/example/shop:1.1.0");
    WebApp undone = apps.await("shop", Duration.ofSeconds(60), a -> WebApps.isTrue(a, "Ready"));
    assertThat(undone.getSpec().image).isEqualTo("ghcr.io/example/shop:1.1.0");
    assertThat(undone.getStatus().stableRevision).isEqualTo(second);
  }

  @Test
  void errorsAreOneClearLine(KubernetesClient client, TestNamespace ns) {
    Commands.Result unknown = slipway("get", "nope", "-n", ns.name());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.output().trim()).isEqualTo("error: webapp nope not found in namespace " + ns.name());

    Commands.Result noConfig = Commands.exec(List.of(PLUGIN, "list"), Map.of("KUBECONFIG", "/nonexistent/config"));
    assertThat(noConfig.exit()).isEqualTo(1);
    assertThat(noConfig.output().trim()).isEqualTo("error: no cluster: kubeconfig /nonexistent/config does not exist");

    Path unreachable = Cluster.kubeconfigWithToken("x");
    writeServer(unreachable, "https://127.0.0.1:1");
    Commands.Result down = Commands.exec(List.of(PLUGIN, "list"), Map.of("KUBECONFIG", unreachable.toString()));
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.output().trim()).startsWith("error: no cluster: cannot reach https://127.0.0.1:1/")
        .contains("(kubeconfig " + unreachable + ")").doesNotContain("\n");

    client.serviceAccounts().inNamespace(ns.name()).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("nobody").endMetadata().build()).create();
    Path nobody = Cluster.kubeconfigWithToken(Cluster.serviceAccountToken(ns.name(), "nobody"));
    Commands.Result denied = Commands.exec(List.of(PLUGIN, "list", "-n", ns.name()),
        Map.of("KUBECONFIG", nobody.toString()));
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.output().trim()).startsWith("error: no permission: cannot list webapps in namespace "
        + ns.name()).doesNotContain("\n");

    Commands.Result badContext = slipway("list", "--context", "elsewhere");
    assertThat(badContext.output().trim()).startsWith("error: no context elsewhere in kubeconfig");
  }

  @Test
  void worksAsAKubectlPluginAndStartsFast() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", BIN + ":" + System.getenv("PATH"));
    Commands.Result help = Commands.exec(List.of(Commands.tool("kubectl"), "slipway", "--help"), env);
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("promote", "abort", "retry", "undo", "history", "lint", "completion");
    assertThat(ok("completion", "bash")).contains("function _complete_kubectl-slipway()")
        .endsWith("complete -F _complete_kubectl-slipway -o default kubectl-slipway kubectl-slipway.sh kubectl-slipway.bash\n");
    assertThat(ok("lint", Cluster.repo().resolve("samples/canary-policy.yaml").toString(),
        Cluster.repo().resolve("samples/django-celery-canary.yaml").toString())).contains("2 file(s) OK");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      ok("--version");
      best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
    }
    long listBest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      ok("list", "-A");
      listBest = Math.min(listBest, (System.nanoTime() - start) / 1_000_000);
    }
    System.out.println("[plugin] start-up: --version " + best + " ms, list -A " + listBest + " ms (best of 3)");
  }

  static void writeServer(Path kubeconfig, String server) {
    try {
      java.nio.file.Files.writeString(kubeconfig, java.nio.file.Files.readString(kubeconfig)
          .replaceAll("server: .*", "server: " + server));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
