package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.CanaryStatus;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.api.v1alpha1.MeasurementRecord;
import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WorkerComponent;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.MetricsLab;
import dev.slipway.testing.StartsEarly;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.Tracker;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Canaries of web and workers on the real control plane, judged by a real Prometheus scraping an exporter the
 * test controls (per-app, per-track request, error and task series).
 */
@ExtendWith(ClusterExtension.class)
@StartsEarly
class CanaryIT {
  static final String ERROR_RATE = "sum(rate(http_requests_total{app=\\\"{{app}}\\\",track=\\\"{{track}}\\\",code=~\\\"5..\\\"}[5s]))"
      + " / sum(rate(http_requests_total{app=\\\"{{app}}\\\",track=\\\"{{track}}\\\"}[5s]))";
  static final String TASK_FAILURES = "sum(rate(celery_tasks_total{app=\\\"{{app}}\\\",component=\\\"{{component}}\\\","
      + "track=\\\"{{track}}\\\",state=\\\"failure\\\"}[5s])) / sum(rate(celery_tasks_total{app=\\\"{{app}}\\\","
      + "component=\\\"{{component}}\\\",track=\\\"{{track}}\\\"}[5s]))";

  static MetricsLab metrics;

  @BeforeAll
  static void start(TestNamespace ns) {
    OperatorProcess.of(ns);
    metrics = new MetricsLab();
  }

  @AfterAll
  static void stop() {
    metrics.close();
  }

  /** A policy from YAML, with {prom} standing for the test's Prometheus. */
  static void policy(KubernetesClient client, TestNamespace ns, String name, String spec) {
    String yaml = "apiVersion: slipway.dev/v1alpha1\nkind: RolloutPolicy\nmetadata: {name: " + name + "}\nspec:\n"
        + spec.replace("{prom}", metrics.address());
    RolloutPolicy policy = client.getKubernetesSerialization().unmarshal(yaml, RolloutPolicy.class);
    client.resource(policy).inNamespace(ns.name()).create();
  }

  static String gate(String name, String query, String condition, String extra) {
    return "  - {name: " + name + ", condition: '" + condition + "', interval: 1s, " + extra
        + " prometheus: {address: '{prom}', query: \"" + query + "\"}}\n";
  }

  /** web ×4 and a celery worker ×2, rolled out with `policy` once the first revision is stable. */
  static WebApp app(String name, String policy) {
    WebApp app = WebApps.sample("minimal.yaml", name);
    app.getSpec().web.replicas = 4;
    WorkerComponent celery = new WorkerComponent();
    celery.name = "celery";
    celery.command = List.of("celery", "-A", "shop", "worker");
    celery.replicas = 2;
    app.getSpec().workers = List.of(celery);
    return WebApps.usingPolicy(app, policy);
  }

  static void traffic(String app, double errorShare) {
    metrics.requests(app, "canary", errorShare);
  }

  static void tasks(String app, double failureShare) {
    String series = "celery_tasks_total{app=\"" + app + "\",component=\"celery\",track=\"canary\",state=\"";
    metrics.exporter.rate(series + "success\"}", 50 * (1 - failureShare));
    metrics.exporter.rate(series + "failure\"}", 50 * failureShare);
  }

  static WebApp release(WebApps apps, String name, String image) {
    apps.edit(name, a -> {
      a.getSpec().image = image;
      return a;
    });
    return apps.await(name, Duration.ofSeconds(30), a -> a.getStatus().canary != null
        && a.getStatus().canary.revision.equals(a.getStatus().updateRevision));
  }

  /** Creates the policy and the app, waits for its first revision, then releases a second one as a canary. */
  static WebApps releaseAsCanary(KubernetesClient client, TestNamespace ns, String name, String policySpec) {
    policy(client, ns, name, policySpec);
    WebApps apps = new WebApps(ns);
    apps.create(app(name, name));
    apps.awaitReady(name);
    release(apps, name, "ghcr.io/example/hello:1.1.0");
    return apps;
  }

  static Integer replicas(KubernetesClient client, TestNamespace ns, String deployment) {
    Deployment d = client.apps().deployments().inNamespace(ns.name()).withName(deployment).get();
    return d == null ? null : d.getSpec().getReplicas();
  }

  static GateStatus lastGate(CanaryStatus canary, String name) {
    return canary.gates.stream().filter(g -> g.name.equals(name)).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void aHealthyCanaryPromotesThroughItsStepsWithGates(KubernetesClient client, TestNamespace ns) throws Exception {
    policy(client, ns, "healthy", """
          strategy: Canary
          canary:
            steps: [{setWeight: 2}, {gate: {metrics: [error-rate]}}, {setWeight: 25}, {gate: {metrics: [error-rate]}},
                    {setWeight: 50}, {gate: {metrics: [error-rate]}}, {setWeight: 100}]
          gates:
        """ + gate("error-rate", ERROR_RATE, "result < 0.01", "count: 2,"));
    traffic("healthy", 0.001);
    WebApps apps = new WebApps(ns);
    apps.create(app("healthy", "healthy"));
    String first = apps.awaitReady("healthy").getStatus().stableRevision;
    long stableGeneration = client.apps().deployments().inNamespace(ns.name()).withName("healthy-web").get()
        .getMetadata().getGeneration();

    List<String> seen = new CopyOnWriteArrayList<>();
    Map<Integer, Instant> stepSeen = new java.util.TreeMap<>();
    try (Tracker<Pod> web = Tracker.pods(ns.name(), Map.of("app.kubernetes.io/name", "healthy",
        "app.kubernetes.io/component", "web", "slipway.dev/track", "stable"))) {
      WebApp started = release(apps, "healthy", "ghcr.io/example/hello:1.1.0");
      String second = started.getStatus().updateRevision;
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      WebApp app = started;
      while (Instant.now().isBefore(deadline) && !(WebApps.isTrue(app, "Ready")
          && second.equals(app.getStatus().stableRevision))) {
        CanaryStatus c = app.getStatus().canary;
        if (c != null) {
          stepSeen.putIfAbsent(c.step, Instant.now());
        }
        if (c != null && "Progressing".equals(c.phase)) {
          String step = "step " + c.step + " weight " + c.setWeight + " web-canary "
              + replicas(client, ns, "healthy-web-canary") + " celery-canary "
              + replicas(client, ns, "healthy-celery-canary") + " stable-generation "
              + client.apps().deployments().inNamespace(ns.name()).withName("healthy-web").get()
                  .getMetadata().getGeneration();
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(step)) {
            seen.add(step);
          }
        }
        Thread.sleep(100);
        app = apps.get("healthy");
      }
      assertThat(WebApps.isTrue(app, "Ready")).as(WebApps.summary(app)).isTrue();
      stepSeen.put(99, Instant.now());
      printStepDurations(stepSeen);
      assertThat(app.getStatus().stableRevision).isEqualTo(second).isNotEqualTo(first);
      assertThat(app.getStatus().canary.phase).isEqualTo("Promoted");
      assertThat(app.getStatus().canary.gates).hasSize(3)
          .allSatisfy(g -> assertThat(g.phase).isEqualTo("Successful"))
          .allSatisfy(g -> assertThat(g.recent).filteredOn(m -> m.value != null).isNotEmpty()
              .allSatisfy(m -> assertThat(m.value).isLessThan(0.01)));
      // Weights by replicas of the steps: web 4 → 1, 1, 2, 4; celery 2 → 1, 1, 1, 2. Stable untouched meanwhile.
      assertThat(seen).as("observed canary steps").contains(
          "step 1 weight 2 web-canary 1 celery-canary 1 stable-generation " + stableGeneration,
          "step 3 weight 25 web-canary 1 celery-canary 1 stable-generation " + stableGeneration,
          "step 5 weight 50 web-canary 2 celery-canary 1 stable-generation " + stableGeneration);
      assertThat(web.min(p -> PodStates.ready(p) && PodStates.notTerminating(p)))
          .as("ready stable web pods never below replicas - maxUnavailable").isGreaterThanOrEqualTo(3);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(replicas(client, ns, "healthy-web-canary")).as("canaries removed after promotion").isNull();
      assertThat(replicas(client, ns, "healthy-celery-canary")).isNull();
    });
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("healthy-scheduler").get()).isNull();
    String metrics = OperatorProcess.of(ns).metrics();
    assertThat(metrics).contains("slipway_gate_measurements_total{gate=\"error-rate\",namespace=\"" + ns.name()
            + "\",result=\"Successful\",webapp=\"healthy\"}",
        "slipway_rollout_promote_seconds_bucket", "slipway_rollout_transitions_total{stage=\"Canary\"}",
        "slipway_webapps{phase=\"Healthy\"}", "slipway_reconcile_errors_total");
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("healthy-web").get().getSpec()
        .getTemplate().getMetadata().getLabels()).containsEntry("slipway.dev/revision",
        apps.get("healthy").getStatus().stableRevision);
  }

  /**
   * Step durations as the test saw them. A gate step needs count × interval (2 s) of measuring; a setWeight
   * step needs the canary pods to start (kwok makes them Ready in about a second); the rest is overhead.
   */
  static void printStepDurations(Map<Integer, Instant> stepSeen) {
    List<Map.Entry<Integer, Instant>> steps = new ArrayList<>(stepSeen.entrySet());
    for (int i = 0; i + 1 < steps.size(); i++) {
      System.out.println("[canary] step " + steps.get(i).getKey() + " took "
          + Duration.between(steps.get(i).getValue(), steps.get(i + 1).getValue()).toMillis() + " ms"
          + (steps.get(i + 1).getKey() == 99 ? " (promotion of the stable Deployments)" : ""));
    }
  }

  @Test
  void anErrorRateAboveOnePercentAbortsWithinOneIntervalAndLeavesStableUntouched(KubernetesClient client,
      TestNamespace ns) throws Exception {
    policy(client, ns, "failing", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {gate: {metrics: [error-rate]}}, {setWeight: 100}]
          gates:
        """ + gate("error-rate", ERROR_RATE, "result < 0.01", "count: 3,"));
    traffic("failing", 0.05);
    WebApps apps = new WebApps(ns);
    apps.create(app("failing", "failing"));
    String first = apps.awaitReady("failing").getStatus().stableRevision;
    Deployment stableBefore = client.apps().deployments().inNamespace(ns.name()).withName("failing-web").get();

    release(apps, "failing", "ghcr.io/example/hello:1.1.0");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> Integer.valueOf(1).equals(replicas(client, ns, "failing-web-canary")));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> Integer.valueOf(0).equals(replicas(client, ns, "failing-web-canary")));
    Instant zero = Instant.now();

    WebApp app = apps.awaitStalled("failing");
    GateStatus gate = lastGate(app.getStatus().canary, "error-rate");
    MeasurementRecord failing = gate.recent.get(gate.recent.size() - 1);
    assertThat(failing.outcome).isEqualTo("Failed");
    Duration abort = Duration.between(Instant.parse(failing.at), zero);
    System.out.println("[canary] abort time, failing measurement to canary replicas 0: " + abort.toMillis() + " ms");
    assertThat(abort).as("one gate interval + 5 s").isLessThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(OperatorProcess.of(ns).metrics()).contains("slipway_rollout_abort_seconds_count",
        "slipway_gate_measurements_total{gate=\"error-rate\",namespace=\"" + ns.name()
            + "\",result=\"Failed\",webapp=\"failing\"}");

    assertThat(app.getStatus().desiredRevisionRejected).isTrue();
    assertThat(app.getStatus().phase).isEqualTo("Degraded");
    assertThat(app.getStatus().stableRevision).isEqualTo(first);
    assertThat(app.getStatus().canary.phase).isEqualTo("Aborted");
    assertThat(WebApps.condition(app, "Stalled").orElseThrow().getReason()).isEqualTo("GateFailed");
    assertThat(app.getStatus().message).containsPattern("last value 0\\.0[45]");
    assertThat(app.getStatus().message).contains("gate error-rate at step 2 failed", "measurements failed (failureLimit 0)",
        "query: sum(rate(http_requests_total{app=\"failing\",track=\"canary\",code=~\"5..\"}[5s]))",
        "condition: result < 0.01");
    assertThat(replicas(client, ns, "failing-celery-canary")).isZero();
    Deployment stableAfter = client.apps().deployments().inNamespace(ns.name()).withName("failing-web").get();
    assertThat(stableAfter.getMetadata().getGeneration()).as("stable untouched")
        .isEqualTo(stableBefore.getMetadata().getGeneration());
    assertThat(stableAfter.getStatus().getReadyReplicas()).isEqualTo(4);
  }

  @Test
  void prometheusStoppedMidGateFailsClosed(KubernetesClient client, TestNamespace ns) throws Exception {
    traffic("outage", 0.0);
    WebApps apps = releaseAsCanary(client, ns, "outage", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {gate: {metrics: [error-rate]}}, {setWeight: 100}]
          gates:
        """ + gate("error-rate", ERROR_RATE, "result < 0.01", "count: 30, consecutiveErrorLimit: 3,"));
    apps.await("outage", Duration.ofSeconds(60), a -> a.getStatus().canary.gates.stream()
        .anyMatch(g -> g.passed >= 1));
    metrics.prometheus.stop();
    try {
      WebApp app = apps.awaitStalled("outage");
      assertThat(app.getStatus().message).contains("gate error-rate at step 2 failed",
          "3 consecutive query errors (consecutiveErrorLimit 3)", "unreachable");
      assertThat(app.getStatus().stableRevision).isNotEqualTo(app.getStatus().updateRevision);
      assertThat(replicas(client, ns, "outage-web-canary")).isZero();
    } finally {
      metrics.prometheus.start();
    }
  }

  @Test
  void noDataHoldsTheCanaryPausedThenAbortsAfterTheInconclusiveTimeout(KubernetesClient client, TestNamespace ns) {
    WebApps apps = releaseAsCanary(client, ns, "silent", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {gate: {metrics: [error-rate]}}, {setWeight: 100}]
          gates:
        """ + gate("error-rate", ERROR_RATE, "result < 0.01", "inconclusiveTimeout: 6s,"));
    WebApp held = apps.await("silent", Duration.ofSeconds(60), a -> "Paused".equals(a.getStatus().phase));
    assertThat(held.getStatus().message).contains("gate error-rate is inconclusive: no data since");
    assertThat(WebApps.isTrue(held, "Stalled")).isFalse();
    assertThat(replicas(client, ns, "silent-web-canary")).isEqualTo(1);
    WebApp app = apps.awaitStalled("silent");
    assertThat(app.getStatus().message).contains("gate error-rate at step 2 failed", "(inconclusiveTimeout 6s)");
    assertThat(replicas(client, ns, "silent-web-canary")).isZero();
  }

  @Test
  void canaryPodsThatNeverBecomeReadyAbortByPodHealth(KubernetesClient client, TestNamespace ns) {
    policy(client, ns, "unready", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {pause: {}}, {setWeight: 100}]
            podHealth: {readyTimeout: 5s}
        """);
    WebApps apps = new WebApps(ns);
    apps.create(app("unready", "unready"));
    apps.awaitReady("unready");
    apps.edit("unready", a -> {
      a.getSpec().image = "ghcr.io/example/hello:1.1.0";
      a.getSpec().web.podLabels = Map.of("slipway.dev/test-not-ready", "true");
      return a;
    });
    WebApp app = apps.awaitStalled("unready");
    assertThat(WebApps.condition(app, "Stalled").orElseThrow().getReason()).isEqualTo("PodHealth");
    assertThat(app.getStatus().message).contains("podHealth: canary pods not Ready for", "(readyTimeout 5s)",
        "canary web (0/1 ready)");
    assertThat(replicas(client, ns, "unready-web-canary")).isZero();
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("unready-web").get().getStatus()
        .getReadyReplicas()).isEqualTo(4);
  }

  @Test
  void aWorkerCanaryIsGatedOnItsTaskFailureRate(KubernetesClient client, TestNamespace ns) {
    policy(client, ns, "workers", """
          strategy: Canary
          canary:
            steps: [{setWeight: 50}, {gate: {metrics: [task-failures]}}, {setWeight: 100}]
          gates:
        """ + gate("task-failures", TASK_FAILURES, "result < 0.05", "count: 2, component: celery,"));
    WebApps apps = new WebApps(ns);
    WebApp worker = app("tasks", "workers");
    worker.getSpec().web = null;
    apps.create(worker);
    apps.awaitReady("tasks");

    tasks("tasks", 0.01);
    String good = release(apps, "tasks", "ghcr.io/example/hello:1.1.0").getStatus().updateRevision;
    assertThat(apps.await("tasks", Duration.ofSeconds(90), a -> good.equals(a.getStatus().stableRevision)
        && WebApps.isTrue(a, "Ready")).getStatus().canary.gates).singleElement()
        .satisfies(g -> assertThat(g.query).contains("component=\"celery\"", "track=\"canary\""));

    tasks("tasks", 0.2);
    release(apps, "tasks", "ghcr.io/example/hello:1.2.0");
    WebApp app = apps.awaitStalled("tasks");
    assertThat(app.getStatus().message).contains("gate task-failures at step 2 failed", "condition: result < 0.05");
    assertThat(app.getStatus().stableRevision).isEqualTo(good);
    assertThat(replicas(client, ns, "tasks-celery-canary")).isZero();
  }

  @Test
  void manualPausePromoteAbortAndRetryWithoutTouchingTheSpec(KubernetesClient client, TestNamespace ns) {
    policy(client, ns, "manual", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {duration: 1h}}, {setWeight: 100}]
        """);
    WebApps apps = new WebApps(ns);
    apps.create(app("manual", "manual"));
    apps.awaitReady("manual");
    release(apps, "manual", "ghcr.io/example/hello:1.1.0");
    WebApp held = apps.await("manual", Duration.ofSeconds(60), a -> "Paused".equals(a.getStatus().phase));
    long generation = held.getMetadata().getGeneration();
    assertThat(held.getStatus().message).contains("step 2 pauses until promoted");

    control(apps, "manual", "promote:1");
    apps.await("manual", Duration.ofSeconds(60), a -> a.getStatus().canary.step == 3
        && "Progressing".equals(a.getStatus().phase));
    assertThat(replicas(client, ns, "manual-web-canary")).isEqualTo(2);

    control(apps, "manual", "pause:2");
    WebApp paused = apps.await("manual", Duration.ofSeconds(30), a -> "Paused".equals(a.getStatus().phase));
    assertThat(paused.getStatus().message).contains("paused by request");
    control(apps, "manual", "resume:3");
    apps.await("manual", Duration.ofSeconds(30), a -> "Progressing".equals(a.getStatus().phase));

    control(apps, "manual", "promote-full:4");
    WebApp promoted = apps.await("manual", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
    assertThat(promoted.getMetadata().getGeneration()).as("requests never change the spec").isEqualTo(generation);
    assertThat(promoted.getStatus().control).isEqualTo("promote-full:4");

    release(apps, "manual", "ghcr.io/example/hello:1.2.0");
    control(apps, "manual", "abort:5");
    WebApp aborted = apps.awaitStalled("manual");
    assertThat(WebApps.condition(aborted, "Stalled").orElseThrow().getReason()).isEqualTo("ManualAbort");
    assertThat(replicas(client, ns, "manual-web-canary")).isZero();

    control(apps, "manual", "retry:6");
    WebApp retried = apps.await("manual", Duration.ofSeconds(30), a -> !WebApps.isTrue(a, "Stalled")
        && a.getStatus().canary != null && "Progressing".equals(a.getStatus().canary.phase)
        || "Paused".equals(a.getStatus().phase));
    assertThat(retried.getStatus().desiredRevisionRejected).isFalse();
    control(apps, "manual", "promote-full:7");
    WebApp done = apps.await("manual", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
    assertThat(done.getStatus().history.get(0).outcome).isEqualTo("Promoted");
  }

  static void control(WebApps apps, String name, String value) {
    apps.edit(name, a -> {
      Map<String, String> annotations = new java.util.HashMap<>(java.util.Objects.requireNonNullElse(
          a.getMetadata().getAnnotations(), Map.of()));
      annotations.put("slipway.dev/control", value);
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  @Test
  void killedMidStepTheOperatorResumesTheSameStepWithItsGateHistory(KubernetesClient client, TestNamespace ns)
      throws Exception {
    traffic("resume", 0.0);
    WebApps apps = releaseAsCanary(client, ns, "resume", """
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {gate: {metrics: [error-rate]}}, {setWeight: 100}]
          gates:
        """ + gate("error-rate", ERROR_RATE, "result < 0.01", "count: 12,"));
    WebApp before = apps.await("resume", Duration.ofSeconds(60), a -> a.getStatus().canary.gates.stream()
        .anyMatch(g -> g.passed >= 3));
    OperatorProcess operator = OperatorProcess.of(ns);
    operator.kill();
    CanaryStatus killed = apps.get("resume").getStatus().canary;
    String canaryUid = client.apps().deployments().inNamespace(ns.name()).withName("resume-web-canary").get()
        .getMetadata().getUid();
    long canaryGeneration = client.apps().deployments().inNamespace(ns.name()).withName("resume-web-canary").get()
        .getMetadata().getGeneration();
    operator.start();
    WebApp after = apps.await("resume", Duration.ofSeconds(30), a -> lastGate(a.getStatus().canary, "error-rate")
        .measurements > lastGate(killed, "error-rate").measurements);
    CanaryStatus resumed = after.getStatus().canary;
    assertThat(resumed.step).isEqualTo(killed.step).isEqualTo(1);
    assertThat(resumed.stepStartedAt).as("the step is not restarted").isEqualTo(killed.stepStartedAt);
    assertThat(lastGate(resumed, "error-rate").startedAt).isEqualTo(lastGate(killed, "error-rate").startedAt);
    assertThat(lastGate(resumed, "error-rate").passed).isGreaterThan(lastGate(killed, "error-rate").passed);
    List<String> times = new ArrayList<>();
    lastGate(resumed, "error-rate").recent.forEach(m -> times.add(m.at));
    assertThat(times).as("history kept, in order").isSorted().doesNotHaveDuplicates();
    Deployment canary = client.apps().deployments().inNamespace(ns.name()).withName("resume-web-canary").get();
    assertThat(canary.getMetadata().getUid()).isEqualTo(canaryUid);
    assertThat(canary.getMetadata().getGeneration()).as("the finished setWeight step is not re-run")
        .isEqualTo(canaryGeneration);
    assertThat(before.getStatus().canary.revision).isEqualTo(resumed.revision);
    apps.await("resume", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
  }
}
