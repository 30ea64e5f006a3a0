package dev.slipway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet does to `$(VAR)` in an exec probe's command: it expands a reference only from the container's
 * own `env` entries that carry a plain `value` (not `valueFrom`, not `envFrom`, not what the image or the
 * runtime sets, such as HOSTNAME), and leaves every other reference as literal text. `$$(VAR)` is the escape for
 * a literal `$(VAR)`. A probe that relies on such a reference receives the text `$(HOSTNAME)` and fails forever.
 */
final class ProbeCommands {
  private ProbeCommands() {}

  // `$$` first, so an escaped reference is consumed whole and never read as one.
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  /** A `$(name)` in the command's argument at this index that the kubelet leaves as it is. */
  record Unexpanded(int argument, String name) {
    String message() {
      return "the kubelet expands $(" + name + ") in a probe command only from this container's env entries with a "
          + "value, and " + name + " is not one: the probe would receive the literal text $(" + name + ") and fail. "
          + "Let a shell expand it: [sh, -c, '... $" + name + " ...']";
    }
  }

  /** The references in these arguments that the kubelet will not expand, in order. */
  static List<Unexpanded> unexpanded(List<String> command, Set<String> staticEnv) {
    List<Unexpanded> found = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      Matcher m = REFERENCE.matcher(command.get(i));
      while (m.find()) {
        if (m.group(1) != null && !staticEnv.contains(m.group(1))) {
          found.add(new Unexpanded(i, m.group(1)));
        }
      }
    }
    return found;
  }
}
