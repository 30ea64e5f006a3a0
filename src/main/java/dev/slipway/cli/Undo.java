package dev.slipway.cli;

import dev.slipway.api.v1alpha1.RevisionRecord;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WorkerComponent;
import dev.slipway.desired.Labels;
import dev.slipway.desired.Workloads;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `undo`: put a WebApp's spec back to an earlier revision's, from the snapshot the operator keeps of each
 * (a ControllerRevision). This edits the spec: under GitOps, revert in Git instead, or the tool puts it back.
 */
@Command(name = "undo", description = "Roll back to an earlier revision (default: the stable one, or the one "
    + "before it). Edits the spec: under GitOps revert in Git instead.")
public class Undo extends SlipwayCli.AppCommand implements Callable<Integer> {
  @Option(names = "--to-revision", paramLabel = "N", description = "The revision number shown by `history`.")
  Long toRevision;

  @Override
  public Integer call() {
    WebApp app = app();
    List<ControllerRevision> snapshots = snapshots(this);
    ControllerRevision target = choose(app, snapshots, toRevision);
    WebAppSpec restored = restore(app.getSpec(), Workloads.fromSnapshot(target));
    try {
      cluster.client().resources(WebApp.class).inNamespace(cluster.namespace()).withName(name).edit(a -> {
        a.setSpec(restored);
        return a;
      });
    } catch (KubernetesClientException e) {
      throw cluster.explain(e, "update", "webapps");
    }
    out().println("webapp/" + name + ": spec set back to revision " + target.getRevision() + " ("
        + target.getMetadata().getLabels().get(Labels.REVISION) + ", image " + restored.image + ")");
    return ExitCode.OK.code();
  }

  static List<ControllerRevision> snapshots(SlipwayCli.AppCommand command) {
    try {
      List<ControllerRevision> list = new ArrayList<>(command.cluster.client().apps().controllerRevisions()
          .inNamespace(command.cluster.namespace()).withLabel(Labels.NAME, command.name)
          .withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems());
      list.sort(Comparator.comparing(ControllerRevision::getRevision));
      return list;
    } catch (KubernetesClientException e) {
      throw command.cluster.explain(e, "list", "controllerrevisions");
    }
  }

  /** --to-revision N, or the stable revision when another is in flight, or the one before the stable one. */
  static ControllerRevision choose(WebApp app, List<ControllerRevision> snapshots, Long number) {
    if (number != null) {
      return snapshots.stream().filter(s -> number.equals(s.getRevision())).findFirst()
          .orElseThrow(() -> new CliException("no revision " + number + " of webapp " + app.getMetadata().getName()
              + "; `kubectl slipway history " + app.getMetadata().getName() + "` lists them"));
    }
    var status = app.getStatus();
    String stable = status == null ? null : status.stableRevision;
    String current = status == null ? null : status.updateRevision;
    Optional<ControllerRevision> stableSnapshot = snapshots.stream().filter(s -> hash(s).equals(stable)).findFirst();
    if (stable != null && !stable.equals(current) && stableSnapshot.isPresent()) {
      return stableSnapshot.get();
    }
    List<ControllerRevision> older = snapshots.stream().filter(s -> !hash(s).equals(current)).toList();
    if (older.isEmpty()) {
      throw new CliException("webapp " + app.getMetadata().getName() + " has no earlier revision to go back to");
    }
    return older.get(older.size() - 1);
  }

  /** The snapshot's spec, keeping what is not part of a revision: sizes, the rollout settings, paused. */
  static WebAppSpec restore(WebAppSpec current, WebAppSpec snapshot) {
    snapshot.rollout = current.rollout;
    snapshot.paused = current.paused;
    if (snapshot.web != null && current.web != null) {
      snapshot.web.replicas = current.web.replicas;
      snapshot.web.autoscaling = current.web.autoscaling;
    }
    for (WorkerComponent w : snapshot.workers) {
      current.workers.stream().filter(c -> c.name.equals(w.name)).findFirst().ifPresent(c -> {
        w.replicas = c.replicas;
        w.autoscaling = c.autoscaling;
      });
    }
    return snapshot;
  }

  static String hash(ControllerRevision s) {
    return Objects.requireNonNullElse(s.getMetadata().getLabels().get(Labels.REVISION), "");
  }

  @Command(name = "history", description = "The revisions of a WebApp: number, hash, image, outcome.")
  static class History extends SlipwayCli.AppCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      WebApp app = app();
      List<RevisionRecord> records = app.getStatus() == null ? List.of() : app.getStatus().history;
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"REVISION", "HASH", "IMAGE", "OUTCOME", "REASON", "STARTED"});
      for (ControllerRevision s : snapshots(this)) {
        Optional<RevisionRecord> r = records.stream().filter(x -> hash(s).equals(x.revision)).findFirst();
        WebAppSpec spec = Workloads.fromSnapshot(s);
        rows.add(new String[] {String.valueOf(s.getRevision()), hash(s), spec.image,
            r.map(x -> x.outcome).orElse("-"), r.map(x -> Objects.requireNonNullElse(x.reason, "-")).orElse("-"),
            r.map(x -> x.startedAt).map(t -> ListView.age(t, Instant.now()) + " ago").orElse("-")});
      }
      out().print(Table.format(rows));
      return ExitCode.OK.code();
    }
  }
}
