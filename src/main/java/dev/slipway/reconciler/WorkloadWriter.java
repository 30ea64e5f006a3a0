package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WorkerComponent;
import dev.slipway.desired.Component;
import dev.slipway.desired.Labels;
import dev.slipway.desired.Names;
import dev.slipway.desired.Owner;
import dev.slipway.desired.RollingSettings;
import dev.slipway.desired.Traffic;
import dev.slipway.desired.Workloads;
import dev.slipway.rollout.BlueGreenPlanner;
import dev.slipway.rollout.Plan;
import dev.slipway.rollout.Stage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Carries out a plan: writes Deployments, the migrate Job, snapshots, and the web Service, PDBs and HPAs. */
final class WorkloadWriter {
  static final int SNAPSHOTS_KEPT = 10;

  private final KubernetesClient client;
  private final Applier applier;

  WorkloadWriter(KubernetesClient client, Applier applier) {
    this.client = client;
    this.applier = applier;
  }

  /** The spec of the stable revision, from its snapshot; null when there is none. */
  WebAppSpec stableSpec(Owner owner, String stableRevision) {
    if (stableRevision == null) {
      return null;
    }
    ControllerRevision snapshot = client.apps().controllerRevisions().inNamespace(owner.namespace())
        .withName(Names.controllerRevision(owner.name(), stableRevision)).get();
    return snapshot == null ? null : Workloads.fromSnapshot(snapshot);
  }

  /**
   * @param tracks the Deployments by track, then component
   * @param serving the track that serves after this plan: stable, or under blue-green the active slot
   * @param blueGreen the app is blue-green: the track that does not serve is its other slot, kept
   */
  void execute(Owner owner, WebAppSpec spec, String desired, Plan plan, WebAppSpec stableSpec,
      RollingSettings rolling, Map<String, Map<String, Deployment>> tracks, String serving, boolean blueGreen,
      Collection<Job> jobs, boolean rolloutStarting, long generation) {
    if (plan.createMigrateJob()) {
      applier.apply(Workloads.migrateJob(owner, spec, desired), null);
    }
    // Slots left by a policy that was blue-green: the stable track takes over what they ran, and their
    // scheduler stops before the stable one starts (never two).
    Map<String, Deployment> leftovers = blueGreen ? Map.of() : tracks.getOrDefault(Labels.PREVIEW, Map.of());
    Deployment leftoverScheduler = leftovers.get(Component.SCHEDULER);
    boolean schedulerHandover = leftoverScheduler != null && !Observations.of(leftoverScheduler).stopped();
    if (plan.target() != null) {
      applyTargets(owner, spec, plan, stableSpec, rolling, tracks.getOrDefault(serving, Map.of()), serving,
          schedulerHandover);
    }
    if (schedulerHandover) {
      applier.scale(leftoverScheduler, 0);
    }
    if (plan.blueGreen() != null) {
      applySlots(owner, spec, desired, plan.blueGreen(), rolling, tracks, serving);
    }
    applyCanaries(owner, spec, desired, plan.canary(), rolling, tracks.getOrDefault(Labels.CANARY, Map.of()));
    if (plan.stage() == Stage.Stable && plan.waitingOn() == null) {
      leftovers.forEach((name, d) -> {
        if (!schedulerHandover || d != leftoverScheduler) {
          applier.delete(d);
        }
      });
    }
    // After the Deployments, so a new revision's first pods are not held up by it; the rollback source is the
    // stable revision's snapshot, written when that revision started.
    if (plan.snapshotDesired() && rolloutStarting) {
      applier.apply(Workloads.snapshot(owner, spec, desired, generation), null);
    }
    if (plan.promote()) {
      pruneAfterPromotion(owner, desired, jobs);
    }
  }

  private void applyTargets(Owner owner, WebAppSpec spec, Plan plan, WebAppSpec stableSpec, RollingSettings rolling,
      Map<String, Deployment> deployments, String track, boolean schedulerHandover) {
    WebAppSpec targetSpec = plan.targetFromSnapshot() ? stableSpec : spec;
    Map<String, Component> targetComponents = Component.of(targetSpec).stream()
        .collect(Collectors.toMap(Component::name, c -> c));
    Map<String, Component> current = Component.of(spec).stream().collect(Collectors.toMap(Component::name, c -> c));
    for (String name : plan.apply()) {
      Component component = targetComponents.get(name);
      // Sizes always come from the current spec: rolling back a template never undoes a scale change.
      Component sizing = current.getOrDefault(name, component);
      Deployment observed = deployments.get(name);
      Integer replicas = sizing.autoscaled() ? null
          : schedulerHandover && component.role() == Component.Role.SCHEDULER ? 0 : sizing.replicas();
      Deployment d = Workloads.deployment(owner, targetSpec, component, plan.target(), track, replicas, rolling);
      applier.apply(d, observed, sent -> {
        if (sent.getSpec().getReplicas() == null) {
          // Under an autoscaler: keep what it chose (dropping the field would reset it to 1).
          sent.getSpec().setReplicas(observed != null ? observed.getSpec().getReplicas()
              : sizing.autoscaling().minReplicas);
        }
      });
    }
    if (plan.removeOthers()) {
      deployments.forEach((name, d) -> {
        if (!targetComponents.containsKey(name)) {
          applier.delete(d);
        }
      });
    }
  }

  /**
   * Both blue-green slots at the sizes asked: the slot running the desired revision written in full, the other
   * only scaled (its template is the stable revision's, left as it is). In the slot that does not serve, a
   * Deployment the plan does not size goes to 0; under an autoscaler the serving slot keeps the size it chose.
   */
  private void applySlots(Owner owner, WebAppSpec spec, String desired, Plan.BlueGreenPlan slots,
      RollingSettings rolling, Map<String, Map<String, Deployment>> tracks, String serving) {
    Map<String, Component> components = Component.of(spec).stream()
        .collect(Collectors.toMap(Component::name, c -> c));
    slots.replicas().forEach((track, sizes) -> {
      Map<String, Deployment> existing = tracks.getOrDefault(track, Map.of());
      sizes.forEach((name, wanted) -> {
        Deployment d = existing.get(name);
        Component c = components.get(name);
        int replicas = track.equals(serving) && c.autoscaled() && d != null && d.getSpec().getReplicas() != null
            && d.getSpec().getReplicas() > 0 ? d.getSpec().getReplicas() : wanted;
        if (track.equals(slots.templateTrack())) {
          applier.apply(Workloads.deployment(owner, spec, c, desired, track, replicas, rolling), d);
        } else if (d != null) {
          applier.scale(d, replicas);
        }
      });
      if (!track.equals(serving)) {
        existing.forEach((name, d) -> {
          if (!sizes.containsKey(name)) {
            applier.scale(d, 0);
          }
        });
      }
    });
  }

  /** Canaries at the desired revision in the sizes asked; the others scaled to zero (abort) or deleted. */
  private void applyCanaries(Owner owner, WebAppSpec spec, String desired, Plan.CanaryPlan canary,
      RollingSettings rolling, Map<String, Deployment> canaries) {
    Map<String, Integer> wanted = canary == null ? Map.of() : canary.replicas();
    Map<String, Component> components = Component.of(spec).stream()
        .collect(Collectors.toMap(Component::name, c -> c));
    wanted.forEach((name, replicas) -> applier.apply(
        Workloads.deployment(owner, spec, components.get(name), desired, Labels.CANARY, replicas, rolling),
        canaries.get(name)));
    canaries.forEach((name, d) -> {
      if (!wanted.containsKey(name)) {
        if (canary != null && canary.zeroOthers()) {
          applier.scale(d, 0);
        } else {
          applier.delete(d);
        }
      }
    });
  }

  /**
   * Services, PDBs and HPAs follow the current spec at once: they never change pods.
   *
   * @param routeWeighsTracks an HTTPRoute weighs the web tracks: a Service for each
   * @param blueGreenServing under blue-green, the slot that serves (the web Service and HPAs follow it, the
   *     preview Service selects the other); null otherwise
   */
  void applyTraffic(Owner owner, WebAppSpec spec, boolean routeWeighsTracks, String blueGreenServing,
      Collection<Service> services, Collection<PodDisruptionBudget> pdbs, Collection<HorizontalPodAutoscaler> hpas) {
    List<HasMetadata> wanted = new ArrayList<>();
    if (spec.web != null) {
      String webTrack = blueGreenServing != null ? blueGreenServing : routeWeighsTracks ? Labels.STABLE : null;
      wanted.add(Traffic.webService(owner, spec.web, webTrack));
      if (routeWeighsTracks) {
        wanted.add(Traffic.webCanaryService(owner, spec.web));
      }
      if (blueGreenServing != null) {
        wanted.add(Traffic.webPreviewService(owner, spec.web, BlueGreenPlanner.otherTrack(blueGreenServing)));
      }
      wanted.add(Traffic.disruptionBudget(owner, Component.WEB, spec.web.disruption.maxUnavailable));
    }
    for (WorkerComponent w : spec.workers == null ? List.<WorkerComponent>of() : spec.workers) {
      if (w.replicas > 1 || w.autoscaling != null) {
        wanted.add(Traffic.disruptionBudget(owner, w.name, new IntOrString(1)));
      }
    }
    for (Component c : Component.of(spec)) {
      if (c.autoscaled()) {
        wanted.add(Traffic.autoscaler(owner, c.name(), c.autoscaling(),
            blueGreenServing != null ? blueGreenServing : Labels.STABLE));
      }
    }
    reconcileSet(wanted, Service.class, services);
    reconcileSet(wanted, PodDisruptionBudget.class, pdbs);
    reconcileSet(wanted, HorizontalPodAutoscaler.class, hpas);
  }

  private <T extends HasMetadata> void reconcileSet(List<HasMetadata> wanted, Class<T> type, Collection<T> existing) {
    Set<String> wantedNames = wanted.stream().filter(type::isInstance).map(o -> o.getMetadata().getName())
        .collect(Collectors.toSet());
    for (HasMetadata w : wanted) {
      if (type.isInstance(w)) {
        T observed = existing.stream().filter(e -> e.getMetadata().getName().equals(w.getMetadata().getName()))
            .findFirst().orElse(null);
        applier.apply(w, observed);
      }
    }
    for (T e : existing) {
      if (!wantedNames.contains(e.getMetadata().getName())) {
        applier.delete(e);
      }
    }
  }

  /** Once a revision is stable, older migrate Jobs and all but the newest snapshots go. */
  private void pruneAfterPromotion(Owner owner, String promoted, Collection<Job> jobs) {
    for (Job job : jobs) {
      if (!Objects.equals(job.getMetadata().getLabels().get(Labels.REVISION), promoted)) {
        applier.delete(job);
      }
    }
    List<ControllerRevision> snapshots = client.apps().controllerRevisions().inNamespace(owner.namespace())
        .withLabel(Labels.NAME, owner.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems();
    snapshots.stream()
        .filter(s -> !Objects.equals(s.getMetadata().getLabels().get(Labels.REVISION), promoted))
        .sorted(Comparator.comparing(ControllerRevision::getRevision).reversed())
        .skip(SNAPSHOTS_KEPT - 1)
        .forEach(applier::delete);
  }
}
