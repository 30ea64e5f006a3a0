package dev.slipway.cli;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.desired.Labels;
import dev.slipway.gate.GoDuration;
import dev.slipway.reconciler.ManualControl;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** kubectl-slipway: see a rollout, and steer it. Actions use the operator's slipway.dev/control annotation. */
@Command(name = "kubectl-slipway", mixinStandardHelpOptions = true, version = "kubectl-slipway 0.1.0",
    description = "See a Slipway rollout, and steer it.",
    subcommands = {SlipwayCli.ListApps.class, SlipwayCli.Get.class, SlipwayCli.Promote.class, Undo.class,
        Undo.History.class, SlipwayCli.Status.class, Lint.class, SlipwayCli.Completion.class})
public class SlipwayCli implements Runnable {
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
    Map<String, String> requests = new java.util.LinkedHashMap<>();
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
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliException c) {
        line.getErr().println("error: " + c.getMessage());
        return c.exitCode();
      }
      line.getErr().println("error: " + e.getMessage());
      return 1;
    });
    return cmd;
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
      if (apps.isEmpty()) {
        spec.commandLine().getErr().println(cluster.allNamespaces ? "No WebApps found."
            : "No WebApps found in namespace " + cluster.namespace() + ".");
        return 0;
      }
      Map<String, String> strategies = new HashMap<>();
      policies.forEach(p -> strategies.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
          p.getSpec().strategy));
      apps.sort(Comparator.comparing((WebApp a) -> a.getMetadata().getNamespace())
          .thenComparing(a -> a.getMetadata().getName()));
      spec.commandLine().getOut().print(ListView.render(apps, strategies, cluster.allNamespaces, Instant.now()));
      return 0;
    }
  }

  @Command(name = "get", description = "Show a WebApp as a tree: components, tracks, pods, canary step, gates.")
  static class Get extends AppCommand implements Callable<Integer> {
    @Option(names = {"-w", "--watch"}, description = "Redraw in place as it changes.")
    boolean watch;

    @Option(names = "--until-done", description = "With --watch: exit at Healthy (0) or Degraded (1).")
    boolean untilDone;

    @Override
    public Integer call() throws InterruptedException {
      Redraw screen = new Redraw(out());
      while (true) {
        WebApp app = app();
        List<Pod> pods = cluster.client().pods().inNamespace(cluster.namespace()).withLabel(Labels.NAME, name)
            .list().getItems();
        String tree = TreeView.render(app, pods, strategy(app), Instant.now());
        if (!watch && !untilDone) {
          out().print(tree);
          return 0;
        }
        screen.show(tree);
        if (untilDone && done(app)) {
          return "Healthy".equals(app.getStatus().phase) ? 0 : 1;
        }
        Thread.sleep(1000);
      }
    }
  }

  /** A manual request through the slipway.dev/control annotation, acknowledged by the operator. */
  abstract static class ControlCommand extends AppCommand implements Callable<Integer> {
    abstract String verb();

    @Override
    public Integer call() throws InterruptedException {
      app();
      String value = verb() + ":" + Instant.now().toEpochMilli();
      String patch = "{\"metadata\":{\"annotations\":{\"" + ManualControl.ANNOTATION + "\":\"" + value + "\"}}}";
      try {
        cluster.client().resources(WebApp.class).inNamespace(cluster.namespace()).withName(name)
            .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-slipway")
                .build(), patch);
      } catch (KubernetesClientException e) {
        throw cluster.explain(e, "patch", "webapps");
      }
      out().println("webapp/" + name + ": " + verb() + " requested (" + ManualControl.ANNOTATION + "=" + value + ")");
      Instant deadline = Instant.now().plusSeconds(15);
      while (Instant.now().isBefore(deadline)) {
        WebApp app = app();
        if (app.getStatus() != null && value.equals(app.getStatus().control)) {
          out().println("webapp/" + name + ": acknowledged; " + app.getStatus().message);
          return 0;
        }
        Thread.sleep(250);
      }
      spec.commandLine().getErr().println("warning: the operator has not acknowledged the request within 15s "
          + "(is it running?); it will act on it when it reconciles webapp/" + name);
      return 0;
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
      Instant deadline = Instant.now().plus(parse(timeout));
      while (true) {
        WebApp app = app();
        if (done(app)) {
          out().println(app.getStatus().phase + ": " + app.getStatus().message);
          return "Healthy".equals(app.getStatus().phase) ? 0 : 1;
        }
        if (!Instant.now().isBefore(deadline)) {
          out().println((app.getStatus() != null ? app.getStatus().phase + ": " + app.getStatus().message
              : "no status yet") + " (timeout " + timeout + ")");
          return 2;
        }
        Thread.sleep(500);
      }
    }

    static Duration parse(String text) {
      try {
        return GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CliException("--timeout: " + e.getMessage());
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
      return 0;
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
