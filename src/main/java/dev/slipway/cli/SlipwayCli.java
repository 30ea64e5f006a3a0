package dev.slipway.cli;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.RolloutPolicySpec;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.desired.Labels;
import dev.slipway.desired.Revision;
import dev.slipway.gate.GoDuration;
import dev.slipway.control.ManualControl;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** kubectl-slipway: see a rollout, and steer it. Actions use the operator's slipway.dev/control annotation. */
@Command(name = "kubectl-slipway", mixinStandardHelpOptions = true, versionProvider = Versions.class,
    description = "See a Slipway rollout, and steer it.",
    footer = {"", "Exit status: 0 done; 1 Degraded (status, get --until-done) or lint findings; 2 still progressing "
        + "(status); 3 an error; 4 a request the operator did not acknowledge."},
    subcommands = {SlipwayCli.ListApps.class, SlipwayCli.Get.class, SlipwayCli.Promote.class, Undo.class,
        Undo.History.class, SlipwayCli.Status.class, SetCommands.class, Restart.class, Lint.class,
        Versions.Command.class, SlipwayCli.Completion.class})
public class SlipwayCli implements Runnable {
  /** The field manager of every change the plugin makes, so managedFields say who changed what. */
  static final String FIELD_MANAGER = "kubectl-slipway";

  @Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cmd = commandLine();
    int exit = cmd.execute(args);
    cmd.getOut().flush();
    cmd.getErr().flush();
    System.exit(exit);
  }

  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new SlipwayCli());
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("abort", "Abort the canary (canaries to zero) or blue-green (switch back, preview to zero); the "
        + "revision rejected.");
    requests.put("retry", "Roll out a rejected revision again.");
    requests.put("pause", "Hold the canary at its current step, or a blue-green preview before its switch.");
    requests.put("resume", "Lift a pause.");
    requests.forEach((verb, description) -> {
      CommandLine sub = new CommandLine(new Request(verb));
      sub.getCommandSpec().usageMessage().description(description);
      cmd.addSubcommand(verb, sub);
    });
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("error: " + e.getMessage());
      return e instanceof CliException c ? c.exitCode() : ExitCode.ERROR.code();
    });
    everyCommand(cmd, "");
    cmd.addSubcommand("help", new CommandLine.HelpCommand()); // kubectl slipway help VERB, as kubectl help VERB
    return cmd;
  }

  /** One example for each command's --help, by the command's path: the line people copy first. */
  static final Map<String, String> EXAMPLES = Map.ofEntries(
      Map.entry("list", "kubectl slipway list -A"),
      Map.entry("get", "kubectl slipway get shop -n shop --watch"),
      Map.entry("promote", "kubectl slipway promote shop -n shop --full"),
      Map.entry("abort", "kubectl slipway abort shop -n shop"),
      Map.entry("retry", "kubectl slipway retry shop -n shop"),
      Map.entry("pause", "kubectl slipway pause shop -n shop"),
      Map.entry("resume", "kubectl slipway resume shop -n shop"),
      Map.entry("undo", "kubectl slipway undo shop -n shop --to-revision 3"),
      Map.entry("history", "kubectl slipway history shop -n shop"),
      Map.entry("status", "kubectl slipway status shop -n shop --timeout 10m"),
      Map.entry("set", "kubectl slipway set image shop registry.example.com/shop:1.4.2 -n shop"),
      Map.entry("set image", "kubectl slipway set image shop registry.example.com/shop:1.4.2 -n shop"),
      Map.entry("restart", "kubectl slipway restart shop -n shop"),
      Map.entry("lint", "kubectl slipway lint webapp.yaml rollout-policy.yaml"),
      Map.entry("version", "kubectl slipway version"),
      Map.entry("completion", "kubectl slipway completion bash"));

  /**
   * --help with an example on every subcommand, and a typo exits with an error (3), never with an answer like
   * status's 2.
   */
  private static void everyCommand(CommandLine cmd, String path) {
    cmd.getCommandSpec().mixinStandardHelpOptions(true);
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCode.ERROR.code());
    cmd.getCommandSpec().exitCodeOnExecutionException(ExitCode.ERROR.code());
    if (EXAMPLES.containsKey(path)) {
      cmd.getCommandSpec().usageMessage().footerHeading("%nExample:%n").footer("  " + EXAMPLES.get(path));
    }
    cmd.getSubcommands().forEach((name, sub) -> everyCommand(sub, path.isEmpty() ? name : path + " " + name));
  }

  /** How get and list print: for people (the default) or for programs. */
  enum Output { TEXT, JSON, YAML, NAME }

  /** As kubectl's -o name: resource.group/name, one a line, what a script hands to its next command. */
  static String names(List<WebApp> apps) {
    return apps.stream().map(app -> "webapp.slipway.dev/" + app.getMetadata().getName() + "\n")
        .collect(java.util.stream.Collectors.joining());
  }

  /** The object as kubectl prints it with -o json|yaml: without managedFields, which only tools read. */
  static String serialized(KubernetesClient client, Output format, KubernetesResource object) {
    var serialization = client.getKubernetesSerialization();
    return format == Output.JSON ? serialization.asJson(object) + "\n" : serialization.asYaml(object);
  }

  static <T extends HasMetadata> T withoutManagedFields(T object) {
    object.getMetadata().setManagedFields(null);
    return object;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command about one WebApp in one namespace. */
  abstract static class AppCommand {
    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "NAME", description = "The WebApp.")
    String name;

    @Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    WebApp app() {
      WebApp app;
      try {
        app = cluster.client().resources(WebApp.class).inNamespace(cluster.namespace()).withName(name).get();
      } catch (KubernetesClientException e) {
        throw cluster.explain(e, "get", "webapps");
      }
      if (app == null) {
        throw new CliException("webapp " + name + " not found in namespace " + cluster.namespace());
      }
      return app;
    }

    /**
     * A JSON merge patch of this WebApp under the plugin's field manager. A 422 is the apiserver refusing
     * `what` (a value admission checks), said as such.
     */
    void mergePatch(Map<String, ?> patch, String what) {
      try {
        cluster.client().resources(WebApp.class).inNamespace(cluster.namespace()).withName(name)
            .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER)
                .build(), cluster.client().getKubernetesSerialization().asJson(patch));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422 && e.getStatus() != null) {
          throw new CliException("webapp/" + name + ": " + what + " refused: " + e.getStatus().getMessage());
        }
        throw cluster.explain(e, "patch", "webapps");
      }
    }

    String strategy(WebApp app) {
      var rollout = app.getSpec().rollout;
      if (rollout == null || rollout.policyRef == null) {
        return "Rolling";
      }
      RolloutPolicy policy = cluster.client().resources(RolloutPolicy.class).inNamespace(cluster.namespace())
          .withName(rollout.policyRef.name).get();
      return policy == null ? "policy " + rollout.policyRef.name + " missing" : policy.getSpec().strategy;
    }

    /** Healthy or Degraded for the current generation: the rollout is over, one way or the other. */
    static boolean done(WebApp app) {
      return app.getStatus() != null && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration)
          && ("Healthy".equals(app.getStatus().phase) || "Degraded".equals(app.getStatus().phase));
    }
  }

  @Command(name = "list", description = "List WebApps: strategy, phase, canary step and weight, revisions, ready.")
  static class ListApps implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
        description = "text (a table), json or yaml (a List of the WebApps), name (webapp.slipway.dev/NAME lines).")
    Output output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<WebApp> apps;
      List<RolloutPolicy> policies;
      try {
        var webapps = cluster.client().resources(WebApp.class);
        var rpols = cluster.client().resources(RolloutPolicy.class);
        apps = (cluster.allNamespaces ? webapps.inAnyNamespace() : webapps.inNamespace(cluster.namespace()))
            .list().getItems();
        policies = (cluster.allNamespaces ? rpols.inAnyNamespace() : rpols.inNamespace(cluster.namespace()))
            .list().getItems();
      } catch (KubernetesClientException e) {
        throw cluster.explain(e, "list", "webapps");
      }
      if (output == Output.NAME) {
        spec.commandLine().getOut().print(names(apps));
        return ExitCode.OK.code();
      }
      if (output != Output.TEXT) {
        apps.forEach(SlipwayCli::withoutManagedFields);
        KubernetesList list = new KubernetesList();
        list.setItems(List.copyOf(apps));
        spec.commandLine().getOut().print(serialized(cluster.client(), output, list));
        return ExitCode.OK.code();
      }
      if (apps.isEmpty()) {
        spec.commandLine().getErr().println(cluster.allNamespaces ? "No WebApps found."
            : "No WebApps found in namespace " + cluster.namespace() + ".");
        return ExitCode.OK.code();
      }
      Map<String, String> strategies = new HashMap<>();
      policies.forEach(p -> strategies.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
          p.getSpec().strategy));
      apps.sort(Comparator.comparing((WebApp a) -> a.getMetadata().getNamespace())
          .thenComparing(a -> a.getMetadata().getName()));
      spec.commandLine().getOut().print(ListView.render(apps, strategies, cluster.allNamespaces, Instant.now()));
      return ExitCode.OK.code();
    }
  }

  @Command(name = "get", description = "Show a WebApp as a tree: components, tracks, pods, canary step, gates.")
  static class Get extends AppCommand implements Callable<Integer> {
    @Option(names = {"-w", "--watch"}, description = "Redraw in place as it changes.")
    boolean watch;

    @Option(names = "--until-done", description = "With --watch: exit at Healthy (0) or Degraded (1).")
    boolean untilDone;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
        description = "text (a tree of components, tracks and pods), json or yaml (the WebApp), name.")
    Output output;

    @Override
    public Integer call() throws InterruptedException {
      if (output != Output.TEXT) {
        if (watch || untilDone) {
          throw new CliException("-o " + output.name().toLowerCase(Locale.ROOT)
              + " prints the WebApp once; it does not go with --watch or --until-done");
        }
        out().print(output == Output.NAME ? names(List.of(app()))
            : serialized(cluster.client(), output, withoutManagedFields(app())));
        return ExitCode.OK.code();
      }
      Redraw screen = new Redraw(out());
      while (true) {
        WebApp app = app();
        List<Pod> pods = cluster.client().pods().inNamespace(cluster.namespace()).withLabel(Labels.NAME, name)
            .list().getItems();
        String tree = TreeView.render(app, pods, strategy(app), Instant.now());
        if (!watch && !untilDone) {
          out().print(tree);
          return ExitCode.OK.code();
        }
        screen.show(tree);
        if (untilDone && done(app)) {
          return ("Healthy".equals(app.getStatus().phase) ? ExitCode.OK : ExitCode.DEGRADED).code();
        }
        Thread.sleep(1000);
      }
    }
  }

  /** A manual request through the slipway.dev/control annotation, acknowledged by the operator. */
  abstract static class ControlCommand extends AppCommand implements Callable<Integer> {
    abstract String verb();

    @Option(names = "--timeout", defaultValue = "15s",
        description = "How long to wait for the operator to acknowledge (e.g. 30s). Default 15s; then exit 4.")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
      Duration wait = Status.parse("--timeout", timeout);
      WebApp current = app();
      refusal(verb(), strategy(current), current).ifPresent(reason -> {
        throw new CliException("webapp/" + name + ": " + reason);
      });
      String value = verb() + ":" + Instant.now().toEpochMilli();
      mergePatch(Map.of("metadata", Map.of("annotations", Map.of(ManualControl.ANNOTATION, value))), verb());
      out().println("webapp/" + name + ": " + verb() + " requested (" + ManualControl.ANNOTATION + "=" + value + ")");
      Instant deadline = Instant.now().plus(wait);
      while (Instant.now().isBefore(deadline)) {
        WebApp app = app();
        if (app.getStatus() != null && value.equals(app.getStatus().control)) {
          out().println("webapp/" + name + ": acknowledged; " + app.getStatus().message);
          return ExitCode.OK.code();
        }
        Thread.sleep(250);
      }
      spec.commandLine().getErr().println("error: the operator has not acknowledged the request within " + timeout
          + " (is it running?); the request stays, and it acts on it when it reconciles webapp/" + name);
      return ExitCode.NOT_ACKNOWLEDGED.code();
    }

    /**
     * Why a request would do nothing, so it is refused instead of acknowledged: the steering verbs steer a
     * canary or a blue-green switch, and retry needs a rejected revision.
     */
    static Optional<String> refusal(String verb, String strategy, WebApp app) {
      if (verb.equals("retry")) {
        var status = app.getStatus();
        boolean rejected = status != null && Revision.of(app.getSpec()).equals(status.rejectedRevision);
        return rejected ? Optional.empty() : Optional.of("nothing to retry: the current revision was not rejected");
      }
      if (RolloutPolicySpec.CANARY.equals(strategy) || RolloutPolicySpec.BLUE_GREEN.equals(strategy)) {
        return Optional.empty();
      }
      if (RolloutPolicySpec.ROLLING.equals(strategy)) {
        return Optional.of(verb + " steers a Canary or BlueGreen rollout, and this one is Rolling (to hold a "
            + "rolling update, set spec.paused: true)");
      }
      return Optional.of(verb + " cannot apply (" + strategy + ")");
    }
  }

  @Command(name = "promote", description = "Finish the current canary step now (--full: every remaining step), or "
      + "switch to a blue-green preview once its gates passed (--full: without waiting for them).")
  static class Promote extends ControlCommand {
    @Option(names = "--full", description = "Skip every remaining step (or pre-promotion gate) and promote.")
    boolean full;

    @Override
    String verb() {
      return full ? "promote-full" : "promote";
    }
  }

  /** abort, retry, pause, resume: a request with nothing more to say than its verb. */
  static final class Request extends ControlCommand {
    private final String verb;

    Request(String verb) {
      this.verb = verb;
    }

    @Override
    String verb() {
      return verb;
    }
  }

  @Command(name = "status", description = "For scripts: wait; exit 0 Healthy, 1 Degraded, 2 still progressing or "
      + "paused at the timeout.")
  static class Status extends AppCommand implements Callable<Integer> {
    @Option(names = "--timeout", defaultValue = "10m", description = "How long to wait (e.g. 30s, 10m). Default 10m.")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
      Instant deadline = Instant.now().plus(parse("--timeout", timeout));
      while (true) {
        WebApp app = app();
        if (done(app)) {
          out().println(app.getStatus().phase + ": " + app.getStatus().message);
          return ("Healthy".equals(app.getStatus().phase) ? ExitCode.OK : ExitCode.DEGRADED).code();
        }
        if (!Instant.now().isBefore(deadline)) {
          out().println((app.getStatus() != null ? app.getStatus().phase + ": " + app.getStatus().message
              : "no status yet") + " (timeout " + timeout + ")");
          return ExitCode.PROGRESSING.code();
        }
        Thread.sleep(500);
      }
    }

    static Duration parse(String option, String text) {
      try {
        return GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CliException(option + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "completion", description = "Print a shell completion script: bash or zsh.")
  static class Completion implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String bash = AutoComplete.bash("kubectl-slipway", spec.root().commandLine());
      switch (shell) {
        case "bash" -> spec.commandLine().getOut().print(bash);
        case "zsh" -> spec.commandLine().getOut().print("autoload -U +X compinit && compinit\n"
            + "autoload -U +X bashcompinit && bashcompinit\n" + bash);
        default -> throw new CliException("completion: unknown shell " + shell + " (bash or zsh)");
      }
      return ExitCode.OK.code();
    }
  }

  /** Redraws a block of lines in place: the cursor goes back over the last drawing, lines are overwritten. */
  static final class Redraw {
    private final PrintWriter out;
    private String last;
    private int lines;

    Redraw(PrintWriter out) {
      this.out = out;
    }

    void show(String text) {
      if (text.equals(last)) {
        return;
      }
      StringBuilder frame = new StringBuilder();
      if (lines > 0) {
        frame.append("\033[").append(lines).append('F');
      }
      for (String line : text.split("\n", -1)) {
        if (!line.isEmpty()) {
          frame.append(line).append("\033[K\n");
        }
      }
      frame.append("\033[J");
      out.print(frame);
      out.flush();
      last = text;
      lines = (int) text.lines().count();
    }
  }
}
