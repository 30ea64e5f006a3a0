package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.StartsEarly;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.KubernetesList;
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
@StartsEarly
class PluginIT {
  static final Path BIN = Cluster.repo().resolve("target/plugin-it/bin");
  static final String PLUGIN = BIN.resolve("kubectl-slipway").toString();

  @BeforeAll
  static void install(TestNamespace ns) {
    OperatorProcess.of(ns);
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
    assertThat(unknown.exit()).as("errors exit 3, never status's 1 or 2").isEqualTo(3);
    assertThat(unknown.output().trim()).isEqualTo("error: webapp nope not found in namespace " + ns.name());

    Commands.Result noConfig = Commands.exec(List.of(PLUGIN, "list"), Map.of("KUBECONFIG", "/nonexistent/config"));
    assertThat(noConfig.exit()).isEqualTo(3);
    assertThat(noConfig.output().trim()).isEqualTo("error: no cluster: kubeconfig /nonexistent/config does not exist");

    Path unreachable = Cluster.kubeconfigWithToken("x");
    writeServer(unreachable, "https://127.0.0.1:1");
    Commands.Result down = Commands.exec(List.of(PLUGIN, "list"), Map.of("KUBECONFIG", unreachable.toString()));
    assertThat(down.exit()).isEqualTo(3);
    assertThat(down.output().trim()).startsWith("error: no cluster: cannot reach https://127.0.0.1:1/")
        .contains("(kubeconfig " + unreachable + ")").doesNotContain("\n");

    client.serviceAccounts().inNamespace(ns.name()).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("nobody").endMetadata().build()).create();
    Path nobody = Cluster.kubeconfigWithToken(Cluster.serviceAccountToken(ns.name(), "nobody"));
    Commands.Result denied = Commands.exec(List.of(PLUGIN, "list", "-n", ns.name()),
        Map.of("KUBECONFIG", nobody.toString()));
    assertThat(denied.exit()).isEqualTo(3);
    assertThat(denied.output().trim()).startsWith("error: no permission: cannot list webapps in namespace "
        + ns.name()).doesNotContain("\n");

    Commands.Result badContext = slipway("list", "--context", "elsewhere");
    assertThat(badContext.output().trim()).startsWith("error: no context elsewhere in kubeconfig");
  }

  /**
   * A rolling WebApp: steering verbs are refused (they would be acknowledged and do nothing), `set image` rolls
   * a new revision, -o json|yaml print the objects, and a request nobody acknowledges exits 4.
   */
  @Test
  void setImageOutputsAndRequestsThatCannotWork(KubernetesClient client, TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.sample("django-celery.yaml", "tool"));
    assertThat(slipway("status", "tool", "-n", ns.name(), "--timeout", "90s").exit()).isZero();

    Commands.Result promote = slipway("promote", "tool", "-n", ns.name());
    assertThat(promote.exit()).isEqualTo(3);
    assertThat(promote.output().trim()).isEqualTo("error: webapp/tool: promote steers a Canary or BlueGreen "
        + "rollout, and this one is Rolling (to hold a rolling update, set spec.paused: true)");
    assertThat(slipway("retry", "tool", "-n", ns.name()).output())
        .contains("nothing to retry: the current revision was not rejected");
    assertThat(apps.get("tool").getMetadata().getAnnotations()).as("nothing was requested")
        .doesNotContainKey("slipway.dev/control");

    String first = apps.get("tool").getStatus().stableRevision;
    assertThat(ok("set", "image", "tool", "ghcr.io/example/shop:1.1.0", "-n", ns.name()))
        .contains("image set to ghcr.io/example/shop:1.1.0 (was ghcr.io/example/shop:1.0.0)");
    assertThat(slipway("status", "tool", "-n", ns.name(), "--timeout", "90s").exit()).isZero();
    WebApp after = apps.get("tool");
    assertThat(after.getStatus().stableRevision).isNotEqualTo(first);
    assertThat(after.getMetadata().getManagedFields()).anySatisfy(m -> assertThat(m.getManager())
        .isEqualTo("kubectl-slipway"));
    // restart: a new revision, every pod replaced, and no second migration of the same image.
    String imaged = after.getStatus().stableRevision;
    assertThat(ok("restart", "tool", "-n", ns.name())).contains("restart requested (spec.restartedAt=",
        "replaces every pod; no migration: revision " + imaged + "'s ran the same Job");
    assertThat(slipway("status", "tool", "-n", ns.name(), "--timeout", "90s").exit()).isZero();
    WebApp restarted = apps.get("tool");
    String fresh = restarted.getStatus().stableRevision;
    assertThat(fresh).isNotEqualTo(imaged);
    assertThat(restarted.getStatus().components).as("every component at the restart's revision")
        .isNotEmpty().allSatisfy(c -> assertThat(c.revision).isEqualTo(fresh));
    assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("tool-migrate-" + fresh).get())
        .as("no migration for a restart").isNull();
    assertThat(restarted.getStatus().migration.revision).as("the last migration is the image change's")
        .isEqualTo(imaged);
    assertThat(restarted.getStatus().migration.phase).isEqualTo("Succeeded");

    Commands.Result refused = slipway("set", "image", "tool", "bad image", "-n", ns.name());
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.output()).contains("image bad image refused:", "image must be an image reference");

    WebApp printed = client.getKubernetesSerialization().unmarshal(ok("get", "tool", "-n", ns.name(), "-o", "json"),
        WebApp.class);
    assertThat(printed.getSpec().image).isEqualTo("ghcr.io/example/shop:1.1.0");
    assertThat(printed.getMetadata().getManagedFields()).isNullOrEmpty();
    KubernetesList listed = client.getKubernetesSerialization().unmarshal(ok("list", "-n", ns.name(), "-o", "yaml"),
        KubernetesList.class);
    assertThat(listed.getItems()).extracting(item -> item.getMetadata().getName()).contains("tool");
    assertThat(ok("list", "-n", ns.name(), "-o", "name")).as("as kubectl -o name").contains("webapp.slipway.dev/tool\n");
    assertThat(ok("get", "tool", "-n", ns.name(), "-o", "name")).isEqualTo("webapp.slipway.dev/tool\n");

    // The shared operator runs as a process; other tests' charts may have left an operator Deployment.
    assertThat(ok("version")).matches("(?s)kubectl-slipway 0\\.1\\.0(-SNAPSHOT)?\noperator.*");

    // A canary app, and no operator running: the request stays unacknowledged. (Stopped, not frozen: a frozen
    // operator that misses its Lease renewal halts when it wakes.)
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: hold}
        spec:
          strategy: Canary
          canary: {steps: [{setWeight: 25}, {pause: {}}]}
        """, RolloutPolicy.class)).inNamespace(ns.name()).create();
    apps.edit("tool", a -> WebApps.usingPolicy(a, "hold"));
    OperatorProcess operator = OperatorProcess.of(ns);
    operator.stop();
    Commands.Result unheard;
    try {
      unheard = slipway("pause", "tool", "-n", ns.name(), "--timeout", "2s");
    } finally {
      operator.start();
    }
    assertThat(unheard.exit()).isEqualTo(4);
    assertThat(unheard.output()).contains("pause requested", "error: the operator has not acknowledged the request "
        + "within 2s (is it running?)");
    apps.await("tool", Duration.ofSeconds(30), a -> a.getStatus().control != null
        && a.getStatus().control.startsWith("pause:"));
  }

  @Test
  void worksAsAKubectlPluginAndStartsFast() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", BIN + ":" + System.getenv("PATH"));
    Commands.Result help = Commands.exec(List.of(Commands.tool("kubectl"), "slipway", "--help"), env);
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("promote", "abort", "retry", "undo", "history", "set", "lint", "version",
        "completion");
    Commands.Result setHelp = Commands.exec(List.of(Commands.tool("kubectl"), "slipway", "set", "image", "--help"),
        env);
    assertThat(setHelp.exit()).as(setHelp.output()).isZero();
    assertThat(setHelp.output()).startsWith("Usage: kubectl-slipway set image");
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
