package dev.slipway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The plugin's command line run in the test's JVM: its exit code and what it printed. A command that needs a
 * cluster reaches the one $KUBECONFIG names, as the installed plugin would.
 */
public record PluginRun(int exit, String out, String err) {
  public static PluginRun run(String... args) {
    CommandLine cmd = SlipwayCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new PluginRun(exit, out.toString(), err.toString());
  }
}
