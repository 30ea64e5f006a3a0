package dev.slipway.cli;

import dev.slipway.api.v1alpha1.WebApp;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `set image`: the one spec edit people make by hand, as `kubectl set image` is for Deployments. */
@Command(name = "set", description = "Change a WebApp's spec. Under GitOps change it in Git instead: the tool puts "
    + "the old value back.", subcommands = SetCommands.Image.class)
class SetCommands implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "set what? (image)");
  }

  /** The other manager that owns spec.image, if any: a GitOps tool would put its own value back. */
  static Optional<String> otherOwnerOfImage(WebApp app) {
    List<ManagedFieldsEntry> entries = Optional.ofNullable(app.getMetadata().getManagedFields()).orElse(List.of());
    return entries.stream()
        .filter(e -> !SlipwayCli.FIELD_MANAGER.equals(e.getManager()) && e.getFieldsV1() != null)
        .filter(e -> e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
            && spec.containsKey("f:image"))
        .map(ManagedFieldsEntry::getManager).findFirst();
  }

  @Command(name = "image", description = "Set the image of every component: a new revision rolls out by the "
      + "WebApp's strategy, its migration first.")
  static class Image extends SlipwayCli.AppCommand implements Callable<Integer> {
    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image reference, e.g. ghcr.io/acme/shop:1.4.2.")
    String image;

    @Override
    public Integer call() {
      if (image.contains("=")) { // kubectl set image's CONTAINER=IMAGE
        throw new CliException("a WebApp has one image, which web, workers, scheduler and migrate all run: give "
            + "IMAGE alone, not " + image);
      }
      WebApp app = app();
      if (image.equals(app.getSpec().image)) {
        out().println("webapp/" + name + ": image is already " + image + "; nothing changed");
        return ExitCode.OK.code();
      }
      mergePatch(Map.of("spec", Map.of("image", image)), "image " + image);
      out().println("webapp/" + name + ": image set to " + image + " (was " + app.getSpec().image + "); follow it "
          + "with `kubectl slipway get " + name + " -w`");
      otherOwnerOfImage(app).ifPresent(manager -> spec.commandLine().getErr().println("warning: " + manager
          + " also manages spec.image of webapp/" + name + " and will set it back; change the image in Git"));
      return ExitCode.OK.code();
    }
  }
}
