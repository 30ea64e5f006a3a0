package dev.slipway.cli;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.desired.Revision;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * `restart`: new pods without a new image, as `kubectl rollout restart` is for Deployments, but in the WebApp's
 * order and by its strategy, so a restart of a canary app is a canary too.
 */
@Command(name = "restart", description = "Replace every pod of a WebApp with a new revision by its strategy, in "
    + "rollout order (workers, web, the scheduler). The migration is skipped when what it runs did not change.")
final class Restart extends SlipwayCli.AppCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    WebApp app = app();
    String at = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    mergePatch(Map.of("spec", Map.of("restartedAt", at)), "restartedAt " + at);
    app.getSpec().restartedAt = at;
    String migration = app.getSpec().migrate == null ? ""
        : Revision.migratedAlready(name, app.getSpec(), app.getStatus() == null ? null : app.getStatus().migration)
            ? "; no migration: revision " + app.getStatus().migration.revision + "'s ran the same Job"
            : "; its migration runs first";
    out().println("webapp/" + name + ": restart requested (spec.restartedAt=" + at + "): revision "
        + Revision.of(app.getSpec()) + " replaces every pod" + migration + "; follow it with `kubectl slipway get "
        + name + " -w`");
    return ExitCode.OK.code();
  }
}
