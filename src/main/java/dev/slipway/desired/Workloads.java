package dev.slipway.desired;

import dev.slipway.api.v1alpha1.WebAppSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.util.Map;

/** Deployments, the migrate Job and revision snapshots: pure functions of a spec and a revision. */
public final class Workloads {
  private Workloads() {}

  /**
   * The Deployment of one component at one revision.
   *
   * @param replicas the replicas to write, or null to leave them to an autoscaler
   */
  public static Deployment deployment(Owner owner, WebAppSpec spec, Component component, String revision,
      String track, Integer replicas, RollingSettings rolling) {
    String name = Names.deployment(owner.name(), component.name(), track);
    return new DeploymentBuilder()
        .withMetadata(owner.meta(name, Labels.of(owner.name(), component.name(), revision, track)))
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(Labels.trackSelector(owner.name(), component.name(), track)).endSelector()
          .withTemplate(Pods.template(owner.name(), spec, component, revision, track))
          .withStrategy(strategy(spec, component, rolling))
          .withMinReadySeconds(rolling.minReadySeconds())
          .withProgressDeadlineSeconds(rolling.progressDeadlineSeconds())
          .withRevisionHistoryLimit(3)
        .endSpec()
        .build();
  }

  static DeploymentStrategy strategy(WebAppSpec spec, Component component, RollingSettings rolling) {
    if (stopFirst(spec, component)) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate().withMaxSurge(rolling.maxSurge()).withMaxUnavailable(rolling.maxUnavailable())
        .endRollingUpdate()
        .build();
  }

  /** Stop-first for the singleton scheduler, for StopFirst, and for Auto when pods mount a claim. */
  public static boolean stopFirst(WebAppSpec spec, Component component) {
    return switch (component.updateStrategy()) {
      case StopFirst -> true;
      case StartFirst -> false;
      case Auto -> Pods.mountsClaim(spec);
    };
  }

  /**
   * The migration of a revision: runs once, never restarted in place, fails after its deadline. A pod the
   * cluster took away (a node drain's eviction, preemption: the pod gets a DisruptionTarget condition) is
   * replaced without counting against backoffLimit, so routine maintenance does not reject a release.
   */
  public static Job migrateJob(Owner owner, WebAppSpec spec, String revision) {
    String name = Names.migrateJob(owner.name(), revision);
    return new JobBuilder()
        .withMetadata(owner.meta(name, Labels.of(owner.name(), Component.MIGRATE, revision, null)))
        .withNewSpec()
          .withBackoffLimit(spec.migrate.backoffLimit)
          .withNewPodFailurePolicy()
            .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget")
              .withStatus("True").endOnPodCondition().endRule()
          .endPodFailurePolicy()
          .withActiveDeadlineSeconds(spec.migrate.activeDeadlineSeconds)
          .withTemplate(Pods.migrateTemplate(owner.name(), spec, revision))
        .endSpec()
        .build();
  }

  /**
   * A snapshot of the spec of a revision, so that a rollback can rebuild exactly what ran before (the
   * ControllerRevision kind exists for this; StatefulSets and DaemonSets use it the same way).
   */
  public static ControllerRevision snapshot(Owner owner, WebAppSpec spec, String revision, long sequence) {
    return new ControllerRevisionBuilder()
        .withMetadata(owner.meta(Names.controllerRevision(owner.name(), revision),
            Labels.of(owner.name(), "revision", revision, null)))
        .withRevision(sequence)
        .withData(Revision.MAPPER.convertValue(spec, Map.class))
        .build();
  }

  public static WebAppSpec fromSnapshot(ControllerRevision snapshot) {
    Object data = snapshot.getData();
    if (data instanceof RawExtension raw) {
      data = raw.getValue();
    }
    return Revision.MAPPER.convertValue(data, WebAppSpec.class);
  }
}
