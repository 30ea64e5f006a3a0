package dev.slipway.cli;

import static dev.slipway.cli.PluginRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.api.v1alpha1.WebComponent;
import dev.slipway.desired.Revision;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The plugin's command line without a cluster: help, exit codes, and the decisions made before any request. */
class CommandLineTest {
  static List<List<String>> commandPaths(CommandLine cmd, List<String> path) {
    List<List<String>> paths = new ArrayList<>();
    cmd.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) {
        return;
      }
      List<String> here = new ArrayList<>(path);
      here.add(name);
      paths.add(here);
      paths.addAll(commandPaths(sub, here));
    });
    return paths;
  }

  @Test
  void everySubcommandHasHelp() {
    List<List<String>> paths = commandPaths(SlipwayCli.commandLine(), List.of());
    assertThat(paths).extracting(p -> String.join(" ", p))
        .contains("get", "list", "promote", "abort", "retry", "pause", "resume", "status", "undo", "history",
            "set", "set image", "restart", "lint", "version", "completion", "help");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      PluginRun r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", path)).contains("Usage: kubectl-slipway " + String.join(" ", path));
      if (!path.equals(List.of("help"))) {
        String example = SlipwayCli.EXAMPLES.get(String.join(" ", path));
        assertThat(r.out()).as("an example in " + String.join(" ", path) + " --help")
            .contains("Example:\n  kubectl slipway " + String.join(" ", path));
        assertThat(SlipwayCli.commandLine().parseArgs(example.substring("kubectl slipway ".length()).split(" ")))
            .as("the example parses").isNotNull();
      }
    }
    assertThat(run("help", "status").out()).as("help VERB").isEqualTo(run("status", "--help").out());
    assertThat(run("--help").out()).contains("Exit status: 0 done; 1 Degraded", "3 an error", "4 a request");
  }

  @Test
  void errorsExitWithThreeSoAScriptNeverTakesThemForAnAnswer() {
    assertThat(run("get").exit()).as("missing NAME").isEqualTo(3);
    assertThat(run("nonsense").exit()).as("unknown command").isEqualTo(3);
    assertThat(run("list", "--output", "xml").exit()).as("unknown format").isEqualTo(3);
    PluginRun badTimeout = run("status", "shop", "--timeout", "soon");
    assertThat(badTimeout.exit()).isEqualTo(3);
    assertThat(badTimeout.err()).startsWith("error: --timeout: ");
    PluginRun noCluster = run("list", "--kubeconfig", "/nonexistent/config");
    assertThat(noCluster.exit()).isEqualTo(3);
    assertThat(noCluster.err().trim()).isEqualTo("error: no cluster: kubeconfig /nonexistent/config does not exist");
    assertThat(run("set", "image", "shop").exit()).as("missing IMAGE").isEqualTo(3);
  }

  @Test
  void versionIsTheBuildsVersion() {
    PluginRun r = run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out().trim()).matches("kubectl-slipway \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(Versions.plugin()).doesNotContain("${");
  }

  static WebApp app(String rejected) {
    WebApp app = new WebApp();
    app.setSpec(new WebAppSpec());
    app.getSpec().image = "shop:2";
    app.getSpec().web = new WebComponent();
    app.setStatus(new WebAppStatus());
    app.getStatus().rejectedRevision = rejected;
    return app;
  }

  @Test
  void stepsThatWouldDoNothingAreRefused() {
    WebApp app = app(null);
    for (String verb : List.of("promote", "promote-full", "pause", "resume", "abort")) {
      assertThat(SlipwayCli.ControlCommand.refusal(verb, "Rolling", app)).get().asString()
          .isEqualTo(verb + " steers a Canary or BlueGreen rollout, and this one is Rolling (to hold a rolling "
              + "update, set spec.paused: true)");
      assertThat(SlipwayCli.ControlCommand.refusal(verb, "Canary", app)).isEmpty();
      assertThat(SlipwayCli.ControlCommand.refusal(verb, "BlueGreen", app)).isEmpty();
      assertThat(SlipwayCli.ControlCommand.refusal(verb, "policy manual missing", app)).get().asString()
          .isEqualTo(verb + " cannot apply (policy manual missing)");
    }
    assertThat(SlipwayCli.ControlCommand.refusal("retry", "Rolling", app)).get().asString()
        .isEqualTo("nothing to retry: the current revision was not rejected");
    WebApp rejected = app(Revision.of(app.getSpec()));
    assertThat(SlipwayCli.ControlCommand.refusal("retry", "Canary", rejected)).isEmpty();
    assertThat(SlipwayCli.ControlCommand.refusal("retry", "Rolling", app("an-older-revision"))).isPresent();
  }

  static ManagedFieldsEntry entry(String manager, Map<String, Object> spec) {
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:spec", spec);
    ManagedFieldsEntry e = new ManagedFieldsEntry();
    e.setManager(manager);
    e.setFieldsV1(fields);
    return e;
  }

  @Test
  void setImageOfOneComponentIsExplainedBeforeAnyRequest() {
    PluginRun r = run("set", "image", "shop", "web=ghcr.io/acme/shop:2", "--kubeconfig", "/nonexistent");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("a WebApp has one image, which web, workers, scheduler and migrate all run");
  }

  @Test
  void aGroupWithoutAUserIsRefusedBeforeAnyRequest() {
    PluginRun r = run("status", "shop", "--as-group", "developers", "--kubeconfig", "/nonexistent");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("--as-group needs --as");
  }

  @Test
  void setImageWarnsWhenAnotherManagerOwnsTheImage() {
    WebApp app = app(null);
    app.getMetadata().setManagedFields(List.of(entry("kubectl-slipway", Map.of("f:image", Map.of())),
        entry("kubectl-client-side-apply", Map.of("f:web", Map.of()))));
    assertThat(SetCommands.otherOwnerOfImage(app)).isEmpty();
    app.getMetadata().setManagedFields(List.of(entry("kustomize-controller", Map.of("f:image", Map.of()))));
    assertThat(SetCommands.otherOwnerOfImage(app)).contains("kustomize-controller");
  }

  @Test
  void versionNamesEachOperatorDeployment() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace("slipway-system").withName("slipway")
        .addToLabels("app.kubernetes.io/version", "0.1.0").endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec().addNewContainer().withImage("slipway:0.1.0")
        .endContainer().endSpec().endTemplate().endSpec().withNewStatus().withReadyReplicas(1).endStatus().build();
    assertThat(Versions.operators(List.of(d)))
        .containsExactly("operator 0.1.0 (slipway-system/slipway, image slipway:0.1.0, 1/2 ready)");
  }
}
