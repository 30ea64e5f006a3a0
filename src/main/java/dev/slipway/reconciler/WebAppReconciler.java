package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.BlueGreenSpec;
import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.CanaryTraffic;
import dev.slipway.api.v1alpha1.ComponentStatus;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.MigrationStatus;
import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.RolloutPolicySpec;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WebAppStatus;
import dev.slipway.config.FreezeGuard;
import dev.slipway.control.Control;
import dev.slipway.control.ManualControl;
import dev.slipway.desired.Component;
import dev.slipway.desired.Labels;
import dev.slipway.desired.Names;
import dev.slipway.desired.Owner;
import dev.slipway.desired.Revision;
import dev.slipway.desired.RollingSettings;
import dev.slipway.rollout.BlueGreenPlanner;
import dev.slipway.rollout.CanaryPlanner;
import dev.slipway.rollout.DeploymentState;
import dev.slipway.rollout.Gates;
import dev.slipway.rollout.JobState;
import dev.slipway.rollout.Observed;
import dev.slipway.rollout.Plan;
import dev.slipway.rollout.RolloutPlanner;
import dev.slipway.rollout.Stage;
import dev.slipway.status.Conditions;
import dev.slipway.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Observes a WebApp's world, asks the planner what to do, does it, and reports. Decisions live in
 * {@link RolloutPlanner}, objects in {@code desired/}, status in {@link StatusCalculator}.
 */
@ControllerConfiguration(name = "webapp", fieldManager = Applier.FIELD_MANAGER,
    // Spec changes bump the generation; a manual request (an annotation) does not, and must still be seen.
    generationAwareEventProcessing = false,
    // Lean caches; informers list in pages so that thousands of objects never make one huge response.
    informer = @Informer(onUpdateFilter = WebAppReconciler.SpecOrControlChanged.class,
        itemStore = LeanItemStore.class, informerListLimit = WebAppReconciler.LIST_PAGE))
public class WebAppReconciler implements Reconciler<WebApp> {
  private static final Logger LOG = Logger.getLogger(WebAppReconciler.class);
  private static final Duration CONNECTION_RETRY = Duration.ofSeconds(2);
  private static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
  private static final Duration ROUTE_RECHECK = Duration.ofSeconds(10);
  static final String POLICY_INDEX = "slipway.dev/policy";
  static final long LIST_PAGE = 500;

  private final KubernetesClient client;
  private final Applier applier;
  private final WorkloadWriter workloads;
  private final EventRecorder events;
  private final GateRunner gates;
  private final RouteWriter routes;
  private final PodCountPacer podCounts = new PodCountPacer();
  private final OperatorMetrics metrics;

  public WebAppReconciler(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    this.metrics = new OperatorMetrics(registry);
    this.gates = new GateRunner(new GateEndpoints(client), metrics);
    this.applier = new Applier(client, registry);
    this.workloads = new WorkloadWriter(client, applier);
    this.events = new EventRecorder(client);
    this.routes = new RouteWriter(client);
  }

  /** Our own status writes change neither generation nor annotations, so they trigger nothing. */
  public static class SpecOrControlChanged implements OnUpdateFilter<WebApp> {
    @Override
    public boolean accept(WebApp after, WebApp before) {
      return !Objects.equals(after.getMetadata().getGeneration(), before.getMetadata().getGeneration())
          || ManualControl.changed(before, after)
          || !Objects.equals(after.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
    }
  }

  @Override
  public List<EventSource<?, WebApp>> prepareEventSources(EventSourceContext<WebApp> context) {
    metrics.countPhases(context.getPrimaryCache());
    metrics.seriesOfStalledApps(context.getPrimaryCache());
    context.getPrimaryCache().addIndexer(POLICY_INDEX, app -> app.getSpec() != null
        && app.getSpec().rollout != null && app.getSpec().rollout.policyRef != null
        ? List.of(policyKey(app.getMetadata().getNamespace(), app.getSpec().rollout.policyRef.name)) : List.of());
    var policies = new InformerEventSource<>(InformerEventSourceConfiguration.from(RolloutPolicy.class, WebApp.class)
        .withItemStore(new LeanItemStore<>()).withInformerListLimit(LIST_PAGE)
        .withSecondaryToPrimaryMapper(policy -> context.getPrimaryCache()
            .byIndex(POLICY_INDEX, policyKey(policy.getMetadata().getNamespace(), policy.getMetadata().getName()))
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((WebApp app) -> app.getSpec().rollout == null
            || app.getSpec().rollout.policyRef == null ? Set.of()
            : Set.of(new ResourceID(app.getSpec().rollout.policyRef.name, app.getMetadata().getNamespace())))
        .build(), context);
    // Canary pods only (not every pod Slipway creates): their restarts abort a canary at once.
    var canaryPods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, WebApp.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.TRACK + "=" + Labels.CANARY)
        .withItemStore(new LeanItemStore<>()).withInformerListLimit(LIST_PAGE)
        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(pod.getMetadata().getLabels().get(Labels.NAME),
            pod.getMetadata().getNamespace())))
        .build(), context);
    return List.of(owned(Deployment.class, context, true), owned(Job.class, context, true),
        owned(Service.class, context, true), owned(PodDisruptionBudget.class, context, false),
        owned(HorizontalPodAutoscaler.class, context, false), policies, canaryPods);
  }

  /**
   * An informer on objects Slipway owns, narrowed by label so the cache holds nothing else (and lean).
   *
   * @param statusMatters any update wakes the WebApp (Deployments, Jobs; Services keep no generation); otherwise
   *     only spec changes and deletions do: Slipway never reads a PDB's or an HPA's status, which their
   *     controllers rewrite constantly (at 1,000 apps the disruption controller's catch-up alone woke 6 WebApps a
   *     second for nothing)
   */
  private static <R extends HasMetadata> InformerEventSource<R, WebApp> owned(Class<R> type,
      EventSourceContext<WebApp> context, boolean statusMatters) {
    var config = InformerEventSourceConfiguration.from(type, WebApp.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR).withItemStore(new LeanItemStore<>())
        .withInformerListLimit(LIST_PAGE);
    if (!statusMatters) {
      config.withOnUpdateFilter(WebAppReconciler::specChanged);
    }
    return new InformerEventSource<>(config.build(), context);
  }

  static boolean specChanged(HasMetadata newer, HasMetadata older) {
    return !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(newer.getMetadata().getDeletionTimestamp(), older.getMetadata().getDeletionTimestamp());
  }

  private static String policyKey(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Counts the failure; the framework retries with backoff and the status keeps its last good content. */
  @Override
  public ErrorStatusUpdateControl<WebApp> updateErrorStatus(WebApp app, Context<WebApp> context, Exception e) {
    metrics.reconcileFailed();
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  @Override
  public UpdateControl<WebApp> reconcile(WebApp app, Context<WebApp> context) {
    if (app.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    try {
      Optional<Duration> requeue = reconcileApp(app, context);
      if (requeue.isPresent()) {
        return UpdateControl.<WebApp>noUpdate().rescheduleAfter(requeue.get().toMillis());
      }
    } catch (RuntimeException e) {
      if (ApiErrors.isConnectionLost(e)) {
        // The apiserver went away mid-reconcile (a restart, a dropped connection): nothing is wrong with the
        // app and the next reconcile finishes what this one began. One line rather than a stack trace each.
        metrics.reconcileFailed();
        LOG.warnf("lost the apiserver while reconciling %s/%s (%s); again in %ss", app.getMetadata().getNamespace(),
            app.getMetadata().getName(), e.getMessage(), CONNECTION_RETRY.toSeconds());
        return UpdateControl.<WebApp>noUpdate().rescheduleAfter(CONNECTION_RETRY.toMillis());
      }
      if (ApiErrors.isConflict(e)) {
        // An HTTPRoute edited between our read and our write: read it again.
        LOG.debugf("conflict while reconciling %s/%s: %s", app.getMetadata().getNamespace(),
            app.getMetadata().getName(), e.getMessage());
        return UpdateControl.<WebApp>noUpdate().rescheduleAfter(CONFLICT_RETRY.toMillis());
      }
      // A WebApp being deleted, or in a namespace being deleted, needs nothing more from us.
      if (!ApiErrors.isNotFound(e) && !ApiErrors.isNamespaceTerminating(e)) {
        throw e;
      }
    }
    return UpdateControl.noUpdate();
  }

  /**
   * @return when to look again though nothing changes: a canary's next measurement, the end of a pause, or a
   *     status held back
   */
  private Optional<Duration> reconcileApp(WebApp app, Context<WebApp> context) {
    Owner owner = Owner.of(app);
    WebAppSpec spec = app.getSpec();
    WebAppStatus previous = Optional.ofNullable(app.getStatus()).orElseGet(WebAppStatus::new);
    String desired = Revision.of(spec);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Optional<ManualControl> control = ManualControl.pending(app, previous);
    Optional<Job> migrateJob = context.getSecondaryResources(Job.class).stream()
        .filter(j -> j.getMetadata().getName().equals(Names.migrateJob(owner.name(), desired))).findFirst();
    if (control.filter(ManualControl::retry).isPresent() && desired.equals(previous.rejectedRevision)) {
      previous = StatusCalculator.reopen(previous, desired);
      migrateJob = retryMigration(migrateJob);
    }

    Optional<RolloutPolicy> policy = context.getSecondaryResource(RolloutPolicy.class);
    RolloutPolicySpec policySpec = policy.map(RolloutPolicy::getSpec).orElse(null);
    RollingSettings rolling = RollingSettings.of(spec.rollout, policySpec);
    boolean canary = policySpec != null && RolloutPolicySpec.CANARY.equals(policySpec.strategy)
        && policySpec.canary != null;
    boolean blueGreen = policySpec != null && RolloutPolicySpec.BLUE_GREEN.equals(policySpec.strategy);

    // Under blue-green the slot that serves is what the rest of a rollout calls stable, the other its side.
    Map<String, Map<String, Deployment>> tracks = byTrack(context);
    String serving = blueGreen ? BlueGreenPlanner.servingTrack(previous.blueGreen) : Labels.STABLE;
    String side = blueGreen ? BlueGreenPlanner.otherTrack(serving) : Labels.CANARY;
    Map<String, Deployment> deployments = tracks.getOrDefault(serving, Map.of());
    Map<String, Deployment> canaries = tracks.getOrDefault(side, Map.of());
    Observed observed = new Observed(states(deployments), migrateJob.map(Observations::of).orElse(null),
        states(canaries), canaryRestarts(context, desired));
    String policyProblem = canary || blueGreen ? gates.problems(policySpec) : null;
    CanaryTraffic.GatewayApiTraffic gatewayApi = canary ? CanaryPlanner.gatewayApi(policySpec.canary) : null;
    RouteWriter.Lookup route = gatewayApi == null || policyProblem != null ? null
        : routes.find(owner, gatewayApi.httpRoute);
    Outcome outcome;
    if (spec.rollout != null && spec.rollout.policyRef != null && policy.isEmpty()) {
      outcome = Outcome.blocked(new StatusCalculator.Blocker("PolicyNotFound", "RolloutPolicy "
          + spec.rollout.policyRef.name + " does not exist in namespace " + owner.namespace()
          + "; nothing was changed"));
    } else if (policyProblem != null) {
      outcome = Outcome.blocked(new StatusCalculator.Blocker("InvalidPolicy", "RolloutPolicy "
          + spec.rollout.policyRef.name + " cannot run: " + policyProblem + "; nothing was changed"));
    } else if (route != null && route.problem() != null) {
      outcome = Outcome.blocked(route.problem());
    } else {
      Control verb = control.map(ManualControl::verb).orElse(null);
      CanaryPlanner.Input canaryInput = canary ? canaryInput(owner, policySpec, desired, previous, verb, now) : null;
      BlueGreenPlanner.Input blueGreenInput = blueGreen ? blueGreenInput(owner, policySpec, desired, previous, verb,
          now) : null;
      outcome = act(new Rollout(owner, spec, desired, previous, rolling, tracks, observed,
          app.getMetadata().getGeneration(), canaryInput, blueGreenInput, route == null ? null : route.route()),
          context);
    }

    WebAppStatus status = StatusCalculator.compute(new StatusCalculator.Input(previous,
        app.getMetadata().getGeneration(), desired, spec.image, outcome.plan(), outcome.rejection(),
        outcome.blocker(), unavailable(observed.deployments()), migration(owner, spec, desired, migrateJob, previous),
        components(observed, deployments, canaries), now.truncatedTo(ChronoUnit.SECONDS).toString()));
    if (policy.isPresent() && !blueGreen && !tracks.containsKey(Labels.PREVIEW)) {
      // Out of blue-green, and its slots handed over: a later switch back to it starts from the stable track.
      // (Kept while the policy is missing: the slot that serves must not be forgotten.)
      status.blueGreen = null;
    }
    control.ifPresent(c -> {
      status.control = c.value();
      if (!c.known()) {
        events.record(app, true, "UnknownControl", "slipway.dev/control=" + c.value() + " names no request; use "
            + "pause, resume, promote, promote-full, abort or retry");
      }
    });
    Optional<Duration> held = Optional.empty();
    if (!StatusCalculator.same(previous, status) || app.getStatus() == null) {
      ResourceID id = ResourceID.fromResource(app);
      held = podCounts.holdBack(id, app.getStatus(), status, now);
      if (held.isEmpty()) {
        writeStatus(app, status, context);
        podCounts.written(id, now);
        recordTransition(app, previous, status, now);
      }
    }
    // Routes are not watched (their kind may not even exist): a route problem is looked at again for its fix.
    Optional<Duration> routeRecheck = route != null && route.problem() != null ? Optional.of(ROUTE_RECHECK)
        : Optional.empty();
    Optional<Duration> canaryWake = Optional.ofNullable(outcome.plan().canary()).map(Plan.CanaryPlan::requeueAfter);
    Optional<Duration> blueGreenWake = Optional.ofNullable(outcome.plan().blueGreen())
        .map(Plan.BlueGreenPlan::requeueAfter);
    return Stream.of(held, routeRecheck, canaryWake, blueGreenWake).flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  /** Deployments by track, then component. */
  private static Map<String, Map<String, Deployment>> byTrack(Context<WebApp> context) {
    Map<String, Map<String, Deployment>> tracks = new HashMap<>();
    for (Deployment d : context.getSecondaryResources(Deployment.class)) {
      Map<String, String> labels = d.getMetadata().getLabels();
      if (labels != null && labels.get(Labels.TRACK) != null && labels.get(Labels.COMPONENT) != null) {
        tracks.computeIfAbsent(labels.get(Labels.TRACK), t -> new HashMap<>())
            .putIfAbsent(labels.get(Labels.COMPONENT), d);
      }
    }
    return tracks;
  }

  private static Map<String, DeploymentState> states(Map<String, Deployment> deployments) {
    Map<String, DeploymentState> states = new HashMap<>();
    deployments.forEach((name, d) -> states.put(name, Observations.of(d)));
    return states;
  }

  /** The most restarts of one canary pod of the desired revision, by component. */
  private static Map<String, Integer> canaryRestarts(Context<WebApp> context, String desired) {
    Map<String, Integer> restarts = new HashMap<>();
    for (Pod pod : context.getSecondaryResources(Pod.class)) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (desired.equals(labels.get(Labels.REVISION))) {
        restarts.merge(labels.get(Labels.COMPONENT), Observations.restarts(pod), Math::max);
      }
    }
    return restarts;
  }

  /** A retried revision migrates again: its failed Job goes (its pods with it) so a new one can run. */
  private Optional<Job> retryMigration(Optional<Job> job) {
    if (job.isPresent() && Observations.of(job.get()).failed()) {
      FreezeGuard.checkBeforeWrite();
      client.resource(job.get()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      return Optional.empty();
    }
    return job;
  }

  /** The canary's input: the policy's gates, their queries for this app, and the measurements now due. */
  private CanaryPlanner.Input canaryInput(Owner owner, RolloutPolicySpec policy, String desired, WebAppStatus previous,
      Control control, Instant now) {
    Map<String, GateSpec> gateSpecs = GateRunner.byName(policy);
    Map<String, String> queries = GateRunner.queries(gateSpecs, owner, desired, Labels.CANARY);
    List<Gates.GateRun> due = CanaryPlanner.due(previous.canary, desired, gateSpecs, now);
    return new CanaryPlanner.Input(policy.canary, gateSpecs, previous.canary,
        gates.measure(owner, due, gateSpecs, queries, now), queries, control, now);
  }

  /**
   * The blue-green input: its gates (queries with {{track}} = the slot of the desired revision) and the
   * measurements now due.
   */
  private BlueGreenPlanner.Input blueGreenInput(Owner owner, RolloutPolicySpec policy, String desired,
      WebAppStatus previous, Control control, Instant now) {
    Map<String, GateSpec> gateSpecs = GateRunner.byName(policy);
    Map<String, String> queries = GateRunner.queries(gateSpecs, owner, desired,
        BlueGreenPlanner.desiredTrack(previous.blueGreen, desired));
    List<Gates.GateRun> due = BlueGreenPlanner.due(previous.blueGreen, desired, gateSpecs, now);
    BlueGreenSpec spec = policy.blueGreen != null ? policy.blueGreen : new BlueGreenSpec();
    return new BlueGreenPlanner.Input(spec, gateSpecs, previous.blueGreen,
        gates.measure(owner, due, gateSpecs, queries, now), queries, control, now);
  }

  /**
   * Everything one reconcile knows about the revision in play.
   *
   * @param route the HTTPRoute that weighs the canary's traffic, or null when its pods' share does
   */
  private record Rollout(Owner owner, WebAppSpec spec, String desired, WebAppStatus previous,
      RollingSettings rolling, Map<String, Map<String, Deployment>> tracks, Observed observed, long generation,
      CanaryPlanner.Input canary, BlueGreenPlanner.Input blueGreen, GenericKubernetesResource route) {

    RolloutPlanner.Input input(String rejected, WebAppSpec stableSpec) {
      List<String> stableComponents = stableSpec == null ? null
          : Component.of(stableSpec).stream().map(Component::name).toList();
      return new RolloutPlanner.Input(desired, previous.stableRevision, rejected, spec.paused,
          migrates(), Component.of(spec), stableComponents, observed, canary, blueGreen);
    }

    /** A restart, or a change to web or workers only, does not run the migration again. */
    boolean migrates() {
      return spec.migrate != null && !Revision.migratedAlready(owner.name(), spec, previous.migration);
    }

    /** The slot that serves once `plan` is carried out; null when the app is not blue-green. */
    String blueGreenServing(Plan plan) {
      if (blueGreen == null) {
        return null;
      }
      return BlueGreenPlanner.servingTrack(plan.blueGreen() != null ? plan.blueGreen().status() : previous.blueGreen);
    }

    String serving(Plan plan) {
      return blueGreen == null ? Labels.STABLE : blueGreenServing(plan);
    }
  }

  /** What was decided: the plan carried out, a rejection made now, or what blocks any progress. */
  private record Outcome(Plan plan, Plan.Rejection rejection, StatusCalculator.Blocker blocker) {
    static Outcome blocked(StatusCalculator.Blocker blocker) {
      return new Outcome(Plan.idle(Stage.Stable, null), null, blocker);
    }
  }

  /**
   * Plans and carries out the next step. A revision that fails — by the planner's judgement, or because the
   * apiserver refuses what it generates — is rejected and rolled back in the same reconcile.
   */
  private Outcome act(Rollout r, Context<WebApp> context) {
    String rejected = r.previous().rejectedRevision;
    WebAppSpec stableSpec = r.desired().equals(rejected) ? stableSpec(r) : null;
    Plan plan = RolloutPlanner.plan(r.input(rejected, stableSpec));
    if (plan.reject() != null) {
      return rollBack(r, plan.reject(), plan.canary() == null ? null : plan.canary().status(), plan.blueGreen(),
          context);
    }
    try {
      routeTraffic(r, plan);
      carryOut(r, plan, stableSpec, context);
      return new Outcome(plan, null, null);
    } catch (InvalidObjectException e) {
      boolean newRevision = !r.desired().equals(r.previous().stableRevision) && !r.desired().equals(rejected);
      return newRevision ? rollBack(r, new Plan.Rejection("InvalidSpec", e.getMessage()), null, null, context)
          : Outcome.blocked(new StatusCalculator.Blocker("InvalidSpec", e.getMessage()));
    }
  }

  /**
   * Rejects the desired revision: the stable templates go back, canaries to zero, in this same reconcile.
   *
   * @param slots under blue-green, the slots as the abort left them (switched back); null to plan them anew
   */
  private Outcome rollBack(Rollout r, Plan.Rejection rejection, CanaryStatus canary, Plan.BlueGreenPlan slots,
      Context<WebApp> context) {
    WebAppSpec stableSpec = stableSpec(r);
    Plan plan = RolloutPlanner.plan(r.input(r.desired(), stableSpec));
    plan = plan.withCanary(new Plan.CanaryPlan(Map.of(), true, canary, null));
    if (slots != null) {
      plan = plan.withBlueGreen(slots);
    }
    routeTraffic(r, plan);
    workloads.execute(r.owner(), r.spec(), r.desired(), plan, stableSpec, r.rolling(), r.tracks(), r.serving(plan),
        r.blueGreen() != null, context.getSecondaryResources(Job.class), false, r.generation());
    // A switch back is a selector write, in this same reconcile.
    applyTraffic(r, plan, context);
    return new Outcome(plan, rejection, null);
  }

  /**
   * Before any canary pod changes: a canary's weight rises only once its pods are ready (the planner's
   * weight), and falls to 0 before its pods are scaled down or removed.
   */
  private void routeTraffic(Rollout r, Plan plan) {
    if (r.route() != null) {
      routes.setCanaryWeight(r.owner(), r.route(), plan.canaryTrafficWeight());
    }
  }

  private void carryOut(Rollout r, Plan plan, WebAppSpec stableSpec, Context<WebApp> context) {
    boolean rolloutStarting = r.previous().rollout == null || !r.desired().equals(r.previous().rollout.revision);
    workloads.execute(r.owner(), r.spec(), r.desired(), plan, stableSpec, r.rolling(), r.tracks(), r.serving(plan),
        r.blueGreen() != null, context.getSecondaryResources(Job.class), rolloutStarting, r.generation());
    applyTraffic(r, plan, context);
  }

  private void applyTraffic(Rollout r, Plan plan, Context<WebApp> context) {
    workloads.applyTraffic(r.owner(), r.spec(), r.route() != null, r.blueGreenServing(plan),
        context.getSecondaryResources(Service.class), context.getSecondaryResources(PodDisruptionBudget.class),
        context.getSecondaryResources(HorizontalPodAutoscaler.class));
  }

  private WebAppSpec stableSpec(Rollout r) {
    return workloads.stableSpec(r.owner(), r.previous().stableRevision);
  }

  /**
   * Server-side applies the status subresource and keeps the written version in the framework's cache, so
   * the next reconcile never plans from a stale status (a stale one would re-announce a transition).
   */
  private static void writeStatus(WebApp app, WebAppStatus status, Context<WebApp> context) {
    WebApp fresh = new WebApp();
    fresh.setMetadata(new ObjectMetaBuilder().withName(app.getMetadata().getName())
        .withNamespace(app.getMetadata().getNamespace()).build());
    fresh.setStatus(status);
    FreezeGuard.checkBeforeWrite();
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(app, fresh, context);
  }

  private static String unavailable(Map<String, DeploymentState> states) {
    String names = states.entrySet().stream()
        .filter(e -> e.getValue().deadlineExceeded())
        .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
    return names.isEmpty() ? null : names;
  }

  private static MigrationStatus migration(Owner owner, WebAppSpec spec, String desired, Optional<Job> job,
      WebAppStatus previous) {
    if (spec.migrate == null) {
      return null;
    }
    if (job.isEmpty()) {
      // Keep reporting the last migration until this revision's starts.
      return previous.migration;
    }
    JobState state = Observations.of(job.get());
    MigrationStatus m = new MigrationStatus();
    m.revision = desired;
    m.job = Names.migrateJob(owner.name(), desired);
    m.phase = state.succeeded() ? MigrationStatus.SUCCEEDED : state.failed() ? "Failed" : "Running";
    m.message = state.failureMessage();
    m.templateHash = Revision.ofMigration(owner.name(), spec);
    return m;
  }

  private static List<ComponentStatus> components(Observed observed, Map<String, Deployment> deployments,
      Map<String, Deployment> canaries) {
    List<ComponentStatus> list = new ArrayList<>(components(observed.deployments(), deployments));
    list.addAll(components(observed.canaries(), canaries));
    return list;
  }

  private static List<ComponentStatus> components(Map<String, DeploymentState> states,
      Map<String, Deployment> deployments) {
    return states.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
      ComponentStatus c = new ComponentStatus();
      DeploymentState d = e.getValue();
      Deployment deployment = deployments.get(e.getKey());
      c.name = e.getKey();
      c.track = deployment.getMetadata().getLabels().get(Labels.TRACK);
      c.deployment = deployment.getMetadata().getName();
      c.revision = d.revision();
      c.replicas = d.desiredReplicas();
      c.readyReplicas = d.readyReplicas();
      c.updatedReplicas = d.updatedReplicas();
      c.availableReplicas = d.availableReplicas();
      return c;
    }).toList();
  }

  /** One Event per change of phase, stage or revision; its reason is the condition reason that changed. */
  private void recordTransition(WebApp app, WebAppStatus before, WebAppStatus after, Instant now) {
    String stageBefore = before.rollout == null ? null : before.rollout.stage;
    String stageAfter = after.rollout == null ? null : after.rollout.stage;
    Integer stepBefore = before.canary == null ? null : before.canary.step;
    Integer stepAfter = after.canary == null ? null : after.canary.step;
    boolean changed = !Objects.equals(before.phase, after.phase) || !Objects.equals(stageBefore, stageAfter)
        || !Objects.equals(before.stableRevision, after.stableRevision) || !Objects.equals(stepBefore, stepAfter);
    if (!changed) {
      return;
    }
    metrics.transition(before, after, now);
    String type = switch (after.phase) {
      case "Healthy" -> Conditions.READY;
      case "Degraded" -> Conditions.STALLED;
      default -> Conditions.RECONCILING;
    };
    String reason = Conditions.find(after.conditions, type).map(c -> c.getReason()).orElse(after.phase);
    events.record(app, "Degraded".equals(after.phase), reason, after.message);
  }
}
