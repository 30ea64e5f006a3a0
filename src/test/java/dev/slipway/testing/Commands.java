package dev.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The command-line tools of the local control plane (kubectl, helm), run as a user would. */
public final class Commands {
  private Commands() {}

  public record Result(int exit, String output) {}

  /** A tool built by hack/cluster.sh, in its cache ($XDG_CACHE_HOME/slipway, as the scripts have it). */
  public static String tool(String name) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg == null || xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return cache.resolve("slipway").resolve("current").resolve(name).toString();
  }

  /** Runs a command with the test cluster's KUBECONFIG; returns its exit code and combined output. */
  public static Result exec(List<String> command) {
    return exec(command, Map.of());
  }

  /** Like {@link #exec(List)}, with more (or overriding) environment variables. */
  public static Result exec(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("KUBECONFIG", Cluster.adminKubeconfig());
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed; returns its output. */
  public static String run(String... command) {
    Result r = exec(List.of(command));
    if (r.exit() != 0) {
      throw new AssertionError("exit " + r.exit() + " of " + String.join(" ", command) + ":\n" + r.output());
    }
    return r.output();
  }
}
