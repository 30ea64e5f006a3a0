package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.gate.Measurement;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PrometheusProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Our users' app for real: the sample shop (samples/apps/shop: Django, gunicorn, Celery workers and beat,
 * PostgreSQL, Redis, all built here from Debian's packages) on the real node, released by Slipway as the
 * sample WebApp describes it. A bad release is the same image with one env var set.
 */
@ExtendWith(ClusterExtension.class)
@Isolated("it times the shop on the real node (beat ticks, Celery liveness, gate values); another class's CPU load skews them")
class ShopIT {
  static final Path SHOP = Cluster.repo().resolve("samples/apps/shop");
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void imagesOnTheNode(TestNamespace ns) {
    Commands.run(Cluster.repo().resolve("hack/images.sh").toString(), "shop", "load");
    OperatorProcess.of(ns);
  }

  /**
   * PostgreSQL and Redis of samples/apps/shop/backing.yaml, ready in the test class's namespace (shared by its
   * tests: each app has its own database and Redis database, see {@link #shop}).
   */
  static synchronized void backingServices(KubernetesClient client, TestNamespace ns) {
    if (client.apps().deployments().inNamespace(ns.name()).withName("postgres").get() == null) {
      try (InputStream in = Files.newInputStream(SHOP.resolve("backing.yaml"))) {
        for (HasMetadata object : client.load(in).items()) {
          client.resource(object).inNamespace(ns.name()).create();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String name : List.of("postgres", "redis")) {
      client.apps().deployments().inNamespace(ns.name()).withName(name).waitUntilCondition(
          d -> d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
          2, TimeUnit.MINUTES);
    }
  }

  /**
   * The sample WebApp (samples/apps/shop/webapp.yaml) as `name`, with its own PostgreSQL database (created
   * here) and Redis database (so no other app's workers take its tasks), and a 2 s beat.
   */
  static WebApp shop(TestNamespace ns, String name, int redisDatabase) {
    createDatabase(ns, name);
    WebApp app = sample();
    app.getMetadata().setName(name);
    app.getSpec().env = new ArrayList<>(app.getSpec().env.stream().map(env -> switch (env.getName()) {
      case "DATABASE_NAME" -> new EnvVar(env.getName(), name, null);
      case "CELERY_BROKER_URL" -> new EnvVar(env.getName(), "redis://redis:6379/" + redisDatabase, null);
      case "ALLOWED_HOSTS" -> new EnvVar(env.getName(), name + "-web,localhost", null);
      default -> env;
    }).toList());
    app.getSpec().scheduler.env = new ArrayList<>(List.of(new EnvVar("BEAT_INTERVAL_SECONDS", "2", null)));
    return app;
  }

  /** A database of this name on the PostgreSQL of {@link #backingServices}. */
  static void createDatabase(TestNamespace ns, String name) {
    Commands.run(Commands.tool("kubectl"), "-n", ns.name(), "exec", "deploy/postgres", "--", "psql", "-h", "/tmp",
        "-U", "shop", "-d", "shop", "-c", "CREATE DATABASE \"" + name + "\"");
  }

  static WebApp sample() {
    try (InputStream in = Files.newInputStream(SHOP.resolve("webapp.yaml"))) {
      return Cluster.client().getKubernetesSerialization().unmarshal(in, WebApp.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shop installed as `name` (see {@link #shop}), after its backing services; returns it Ready. */
  static WebApp install(KubernetesClient client, TestNamespace ns, String name, int redisDatabase,
      UnaryOperator<WebApp> customize) {
    backingServices(client, ns);
    WebApps apps = new WebApps(ns);
    apps.create(customize.apply(shop(ns, name, redisDatabase)));
    return apps.await(name, Duration.ofMinutes(4), app -> WebApps.isTrue(app, "Ready"));
  }

  /** A release of the same image: the app's env, VERSION, and the given behaviour switches (name, value, …). */
  static UnaryOperator<WebApp> release(String version, String... switches) {
    return app -> {
      List<EnvVar> env = new ArrayList<>(app.getSpec().env.stream()
          .filter(e -> e.getName().startsWith("DATABASE_") || e.getName().equals("CELERY_BROKER_URL")
              || e.getName().equals("ALLOWED_HOSTS")).toList());
      env.add(new EnvVar("VERSION", version, null));
      for (int i = 0; i < switches.length; i += 2) {
        env.add(new EnvVar(switches[i], switches[i + 1], null));
      }
      app.getSpec().env = env;
      return app;
    };
  }

  /**
   * The app's web Service from this machine: requests go to its cluster IP (through the real kube-proxy) with the
   * Service's name as Host, one of the names the shop answers to (its ALLOWED_HOSTS, see {@link #shop}).
   */
  record Web(String address, String host) {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    String url(String path) {
      return "http://" + address + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Host", host)
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws IOException, InterruptedException {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as("GET " + url(path) + ": " + response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }

    RealNodeIT.Load load(String path, long pauseMillis) {
      return new RealNodeIT.Load(url(path), host, pauseMillis);
    }
  }

  static Web web(KubernetesClient client, TestNamespace ns, String app) {
    return new Web(client.services().inNamespace(ns.name()).withName(app + "-web").get().getSpec().getClusterIP(),
        app + "-web");
  }

  static List<Pod> appPods(KubernetesClient client, TestNamespace ns, String app) {
    return client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app).list().getItems()
        .stream().filter(pod -> !"migrate".equals(pod.getMetadata().getLabels().get("app.kubernetes.io/component")))
        .toList();
  }

  /**
   * The names of the app's pods once none is terminating and there are as many as the sample runs (2 web,
   * 2 workers, 1 beat): after a promotion or an abort, what stays.
   */
  static List<String> settledPods(KubernetesClient client, TestNamespace ns, String app) {
    List<List<String>> settled = new ArrayList<>();
    await().atMost(Duration.ofSeconds(150)).until(() -> {
      List<Pod> pods = appPods(client, ns, app);
      settled.add(0, pods.stream().map(pod -> pod.getMetadata().getName()).sorted().toList());
      return pods.size() == 5 && pods.stream().allMatch(pod -> pod.getMetadata().getDeletionTimestamp() == null);
    });
    return settled.get(0);
  }

  @Test
  void firstInstallMigratesBeforeAnyPodStartsThenServesRunsTasksAndTicks(KubernetesClient client,
      TestNamespace ns) throws Exception {
    WebApp ready = install(client, ns, "first", 1, UnaryOperator.identity());
    WebApps apps = new WebApps(ns);

    Web web = web(client, ns, "first");
    assertThat(web.get("/").body()).as("the web Service through kube-proxy").isEqualTo("shop 1\n");
    assertThat(web.get("/health/").statusCode()).as("PostgreSQL and Redis by Service name").isEqualTo(200);
    // Django's host check is on (ALLOWED_HOSTS without `*`): a name it does not know gets 400, and yet the
    // pods passed their probes (Host: localhost) and, in the canary test, Prometheus scrapes them by IP.
    assertThat(new Web(web.address(), "shop.example.com").get("/").statusCode()).as("an unknown Host")
        .isEqualTo(400);

    // migrate ran once, to the end, before the first pod of the release was created.
    List<Job> jobs = client.batch().v1().jobs().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "first")
        .list().getItems();
    assertThat(jobs).hasSize(1);
    Instant migrated = Instant.parse(jobs.get(0).getStatus().getCompletionTime());
    JsonNode releases = web.json("/releases/").get("releases");
    assertThat(releases).hasSize(1);
    assertThat(releases.get(0).get("version").asText()).isEqualTo("1");
    List<Pod> pods = appPods(client, ns, "first");
    assertThat(pods).hasSize(5).allSatisfy(pod -> {
      assertThat(Instant.parse(pod.getMetadata().getCreationTimestamp())).as(pod.getMetadata().getName()
          + " created after migrate completed").isAfterOrEqualTo(migrated);
      assertThat(Instant.ofEpochMilli((long) (releases.get(0).get("migrated").asDouble() * 1000)))
          .as("the release was recorded by migrate before " + pod.getMetadata().getName() + " existed")
          .isBefore(Instant.parse(pod.getMetadata().getCreationTimestamp()).plusSeconds(1));
    });

    // A task enqueued by the web runs on a worker; the beat's ticks reach the database.
    web.json("/work/?seconds=0.2");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode tasks = web.json("/tasks/");
      assertThat(tasks.get("finished").asInt()).isEqualTo(1);
    });
    String beat = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "first")
        .withLabel("app.kubernetes.io/component", "scheduler").list().getItems().get(0).getMetadata().getName();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(web.json("/ticks/").get("ticks")).anySatisfy(tick ->
            assertThat(tick.get("beat").asText()).isEqualTo(beat)));
    assertThat(ready.getStatus().stableRevision).isNotBlank();
    apps.api().inNamespace(ns.name()).withName("first").delete(); // frees the node for the next test
  }

  @Test
  void aFailedMigrationStartsNothingOfTheReleaseAndTheOldOneKeepsServing(KubernetesClient client,
      TestNamespace ns) throws Exception {
    String stable = install(client, ns, "migfail", 2, UnaryOperator.identity()).getStatus().stableRevision;
    WebApps apps = new WebApps(ns);
    List<String> stablePods = appPods(client, ns, "migfail").stream().map(pod -> pod.getMetadata().getName()).sorted().toList();
    Web web = web(client, ns, "migfail");

    apps.edit("migfail", release("2", "MIGRATION_FAIL", "1"));
    WebApp rejected = apps.await("migfail", Duration.ofMinutes(3),
        app -> app.getStatus().desiredRevisionRejected && WebApps.isTrue(app, "Stalled"));
    assertThat(rejected.getStatus().stableRevision).isEqualTo(stable);
    assertThat(rejected.getStatus().message).contains("migration of revision");
    assertThat(appPods(client, ns, "migfail").stream().map(pod -> pod.getMetadata().getName()).sorted().toList())
        .as("not one pod of the release started; the old ones were not touched").isEqualTo(stablePods);
    assertThat(web.get("/").body()).isEqualTo("shop 1\n");
    assertThat(web.json("/releases/").get("releases")).as("only release 1 ever migrated").hasSize(1);
    apps.api().inNamespace(ns.name()).withName("migfail").delete();
  }

  /**
   * A release while tasks run and beat ticks: the old workers get SIGTERM and finish the tasks they hold (none is
   * lost or run again), and the scheduler hands over without ever running two beats, so no tick runs twice.
   */
  @Test
  void aReleaseLetsRunningTasksFinishAndNeverRunsTwoBeats(KubernetesClient client, TestNamespace ns)
      throws Exception {
    String stable = install(client, ns, "rollover", 4, UnaryOperator.identity()).getStatus().stableRevision;
    WebApps apps = new WebApps(ns);
    Web web = web(client, ns, "rollover");
    List<String> oldWorkers = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "rollover")
        .withLabel("app.kubernetes.io/component", "celery").list().getItems().stream()
        .map(pod -> pod.getMetadata().getName()).toList();
    int tasks = 4;
    for (int i = 0; i < tasks; i++) {
      web.json("/work/?seconds=15");
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(web.json("/tasks/").get("started").asInt()).isEqualTo(tasks));

    apps.edit("rollover", release("2"));
    WebApp rolled = apps.await("rollover", Duration.ofMinutes(4), app -> WebApps.isTrue(app, "Ready")
        && !stable.equals(app.getStatus().stableRevision));
    assertThat(rolled.getStatus().history.get(0).outcome).isEqualTo("Promoted");
    // The release is Ready once the new pods are; the old workers may still be finishing their tasks then
    // (up to their 120 s grace period). What they ran is counted once they are gone.
    await().atMost(Duration.ofSeconds(150)).until(() -> client.pods().inNamespace(ns.name())
        .withLabel("app.kubernetes.io/name", "rollover").list().getItems().stream()
        .noneMatch(pod -> oldWorkers.contains(pod.getMetadata().getName())));

    JsonNode runs = web.json("/tasks/");
    System.out.printf("[shop] worker drain: %d tasks started before the release, %d finished%n",
        runs.get("started").asInt(), runs.get("finished").asInt());
    assertThat(runs.get("started").asInt()).as("no task ran twice").isEqualTo(tasks);
    assertThat(runs.get("finished").asInt()).as("every running task finished").isEqualTo(tasks);
    assertThat(runs.get("workers")).as("each finished on the old worker that started it")
        .allSatisfy(worker -> assertThat(oldWorkers).contains(worker.asText()));

    // A few ticks of the new beat, then the record: the beats never overlap, no tick is doubled.
    String newBeat = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "rollover")
        .withLabel("app.kubernetes.io/component", "scheduler").list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow()
        .getMetadata().getName();
    await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf(web.json("/ticks/"), newBeat) >= 3);
    JsonNode ticks = web.json("/ticks/").get("ticks");
    List<String> beats = new ArrayList<>();
    double previous = 0;
    for (JsonNode tick : ticks) {
      String beat = tick.get("beat").asText();
      if (beats.isEmpty() || !beats.get(beats.size() - 1).equals(beat)) {
        assertThat(beats).as("beats never interleave: %s came back", beat).doesNotContain(beat);
        beats.add(beat);
      } else {
        assertThat(tick.get("ran").asDouble() - previous).as("no tick ran twice (interval 2 s)").isGreaterThan(1.0);
      }
      previous = tick.get("ran").asDouble();
    }
    System.out.printf("[shop] beat: %d ticks from %d schedulers, one after the other: %s%n", ticks.size(),
        beats.size(), beats);
    assertThat(beats).hasSize(2).endsWith(newBeat);
    apps.api().inNamespace(ns.name()).withName("rollover").delete();
  }

  static long ticksOf(JsonNode ticks, String beat) {
    return java.util.stream.StreamSupport.stream(ticks.get("ticks").spliterator(), false)
        .filter(tick -> tick.get("beat").asText().equals(beat)).count();
  }

  /** samples/apps/shop/canary-policy.yaml with seconds for minutes (hack/shop.sh quick-policy), reading this Prometheus. */
  static RolloutPolicy canaryPolicy(String prometheus) {
    return Cluster.client().getKubernetesSerialization().unmarshal(
        Commands.run(Cluster.repo().resolve("hack/shop.sh").toString(), "quick-policy", prometheus),
        RolloutPolicy.class);
  }

  /** The shop's own task gate, by the pod labels Prometheus copies onto the workers' counters. */
  static final String SHOPS_TASK_GATE = "task-failures";
  /** The users' task gate beside the shop's own: the same judgement through the central exporter. */
  static final String USERS_TASK_GATE = "task-failures-by-host";

  /**
   * The shop's quick policy with the task gate our users copy (samples/canary-policy.yaml) as well: it reads a
   * central celery-exporter (samples/apps/shop/exporter.yaml), whose series carry the workers' host names and no
   * pod labels, and selects the canary's workers by name. It runs wherever the shop's own task gate runs, with
   * the quick policy's 20 s window; with `alone`, in its place (policy shop-canary-central), else beside it
   * (shop-canary-both).
   */
  static RolloutPolicy withUsersTaskGate(String prometheus, boolean alone) {
    RolloutPolicy policy = canaryPolicy(prometheus);
    policy.getMetadata().setName(alone ? "shop-canary-central" : "shop-canary-both");
    String query = SamplesIT.unmarshal(SamplesIT.read("canary-policy.yaml"), RolloutPolicy.class).getSpec().gates
        .stream().filter(gate -> gate.name.equals("task-failures")).findFirst().orElseThrow().prometheus.query
        .replace("[5m]", "[20s]");
    GateSpec shops = policy.getSpec().gates.stream().filter(gate -> gate.name.equals(SHOPS_TASK_GATE)).findFirst()
        .orElseThrow();
    if (alone) {
      shops.prometheus.query = query;
      return policy;
    }
    GateSpec users = Cluster.client().getKubernetesSerialization().clone(shops);
    users.name = USERS_TASK_GATE;
    users.prometheus.query = query;
    policy.getSpec().gates.add(users);
    policy.getSpec().canary.backgroundGates.add(USERS_TASK_GATE);
    policy.getSpec().canary.steps.stream().filter(step -> step.gate != null).forEach(step ->
        step.gate.metrics.add(USERS_TASK_GATE));
    return policy;
  }

  /** The shop's central celery-exporter (samples/apps/shop/exporter.yaml) on the app's broker, Ready. */
  static void centralExporter(KubernetesClient client, TestNamespace ns, int redisDatabase) {
    try (InputStream in = Files.newInputStream(SHOP.resolve("exporter.yaml"))) {
      Deployment exporter = client.getKubernetesSerialization().unmarshal(in, Deployment.class);
      exporter.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
          new EnvVar("CELERY_BROKER_URL", "redis://redis:6379/" + redisDatabase, null)));
      client.resource(exporter).inNamespace(ns.name()).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client.apps().deployments().inNamespace(ns.name()).withName("celery-exporter").waitUntilCondition(
        d -> d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
        2, TimeUnit.MINUTES);
  }

  /**
   * The seed's canary on the real app, judged by its own metrics through a real Prometheus: a good release is
   * promoted with every request served; a release answering 5% of requests with 500, one 800 ms slower, and one
   * whose tasks fail are each aborted by the matching gate, with the stable pods untouched and the only failed
   * requests the canary's own. A second release whose tasks fail is judged as our users' sample policy judges
   * it, through a central celery-exporter by the workers' host names: a gate that matched no canary worker
   * would pass it (onNoData: Pass), so its abort shows that the gate found them.
   */
  @Test
  void canaryReleasesAreJudgedByTheShopsOwnMetrics(KubernetesClient client, TestNamespace ns) throws Exception {
    try (PrometheusProcess prometheus = PrometheusProcess.scrapingPods(ns.name())) {
      client.resource(canaryPolicy(prometheus.address())).inNamespace(ns.name()).create();
      client.resource(withUsersTaskGate(prometheus.address(), false)).inNamespace(ns.name()).create();
      client.resource(withUsersTaskGate(prometheus.address(), true)).inNamespace(ns.name()).create();
      centralExporter(client, ns, 3);
      String stable = install(client, ns, "canary", 3, app -> WebApps.usingPolicy(app, "shop-canary"))
          .getStatus().stableRevision;
      WebApps apps = new WebApps(ns);
      Web web = web(client, ns, "canary");

      long released = System.nanoTime();
      try (RealNodeIT.Load load = web.load("/", 10);
          RealNodeIT.Load tasks = web.load("/work/?seconds=0", 100)) {
        apps.edit("canary", app -> WebApps.usingPolicy(release("2").apply(app), "shop-canary-both"));
        String previous = stable;
        // The gates' values while the canary runs (a promotion clears the canary status).
        Map<String, GateStatus> gatesByStep = new java.util.TreeMap<>();
        // Every phase a watcher sees, polled every 250 ms: the app's, and its canary's with the reason to hold.
        Set<String> phasesSeen = new java.util.LinkedHashSet<>();
        WebApp promoted = apps.await("canary", Duration.ofMinutes(5), app -> {
          phasesSeen.add(app.getStatus().phase);
          if (app.getStatus().canary != null) {
            app.getStatus().canary.gates.forEach(gate -> gatesByStep.put(gate.step + "/" + gate.name, gate));
            phasesSeen.add("canary " + app.getStatus().canary.phase + (app.getStatus().canary.pauseReason == null
                ? "" : ": " + app.getStatus().canary.pauseReason));
          }
          return WebApps.isTrue(app, "Ready") && !previous.equals(app.getStatus().stableRevision);
        });
        List<GateStatus> gatesSeen = List.copyOf(gatesByStep.values());
        stable = promoted.getStatus().stableRevision;
        assertThat(promoted.getStatus().history.get(0).outcome).isEqualTo("Promoted");
        load.close();
        tasks.close();
        System.out.printf("[shop] good release promoted in %d s: %d requests, %d failed; %d tasks enqueued%n",
            Duration.ofNanos(System.nanoTime() - released).toSeconds(), load.sent.get(), load.failures.size(),
            tasks.sent.get());
        for (GateStatus gate : gatesSeen) {
          System.out.printf("[shop]   gate %s (%s): %s, values %s%n", gate.name,
              gate.where(), gate.phase, gate.recent.stream()
                  .map(m -> m.value == null ? "-" : Measurement.readable(m.value)).toList());
        }
        System.out.printf("[shop]   phases seen: %s%n", phasesSeen);
        assertThat(phasesSeen).as("a healthy canary is never held: background gates wait for its pods")
            .noneMatch(phase -> phase.contains("Paused"));
        assertThat(load.failures).as("every request of the good release's canary served").isEmpty();
        assertThat(gatesSeen).as("every gate judged the canary, none failed")
            .extracting(gate -> gate.name).contains("error-rate", "latency-p99", SHOPS_TASK_GATE, USERS_TASK_GATE);
        assertThat(gatesSeen).noneMatch(gate -> gate.failures > 0);
        // onNoData: Pass would pass a task gate that matched no canary worker: each found their counters.
        for (String taskGate : List.of(SHOPS_TASK_GATE, USERS_TASK_GATE)) {
          assertThat(gatesSeen).as("%s measured the canary workers' tasks", taskGate)
              .anySatisfy(gate -> assertThat(gate.name).isEqualTo(taskGate))
              .filteredOn(gate -> gate.name.equals(taskGate))
              .flatExtracting(gate -> gate.recent).anySatisfy(m -> assertThat(m.value).isNotNull());
        }
        assertThat(web.get("/").body()).isEqualTo("shop 2\n");
      }

      record BadRelease(String version, String variable, String value, String gate, String policy) {}
      for (BadRelease bad : List.of(new BadRelease("3", "ERROR_RATE", "0.05", "error-rate", "shop-canary"),
          new BadRelease("4", "EXTRA_LATENCY_MS", "800", "latency-p99", "shop-canary"),
          new BadRelease("5", "TASK_FAIL", "1", SHOPS_TASK_GATE, "shop-canary"),
          new BadRelease("6", "TASK_FAIL", "1", SHOPS_TASK_GATE, "shop-canary-central"))) {
        List<String> stablePods = settledPods(client, ns, "canary");
        released = System.nanoTime();
        try (RealNodeIT.Load load = web.load("/", 10);
            RealNodeIT.Load tasks = web.load("/work/?seconds=0", 100)) {
          apps.edit("canary", app -> WebApps.usingPolicy(release(bad.version(), bad.variable(), bad.value())
              .apply(app), bad.policy()));
          WebApp rejected = apps.await("canary", Duration.ofMinutes(4),
              app -> app.getStatus().desiredRevisionRejected && WebApps.isTrue(app, "Stalled"));
          long abortSeconds = Duration.ofNanos(System.nanoTime() - released).toSeconds();
          load.close();
          tasks.close();
          assertThat(rejected.getStatus().message).as("the gate that failed, at a step or in the background")
              .containsPattern("gate " + bad.gate() + " (\\(background\\)|at step)");
          // From the status: the gate's first failing measurement, and when the release was rejected.
          GateStatus failed = rejected.getStatus().canary.gates.stream()
              .filter(gate -> gate.name.equals(bad.gate()) && gate.failures > 0).findFirst()
              .orElseThrow(() -> new AssertionError("no failed " + bad.gate() + " gate in the status: "
                  + WebApps.summary(rejected)));
          // Conditions carry whole seconds: the failing measurement's second is the baseline.
          Instant firstFailure = failed.recent.stream().filter(m -> "Failed".equals(m.outcome))
              .map(m -> Instant.parse(m.at)).min(Instant::compareTo).orElseThrow().truncatedTo(ChronoUnit.SECONDS);
          Instant aborted = Instant.parse(WebApps.condition(rejected, "Stalled").orElseThrow()
              .getLastTransitionTime());
          System.out.printf("[shop] release %s (%s=%s, policy %s): %d requests, %d failed; gate %s measured %s"
              + " (values %s); aborted %d s after the edit, %d s after its first failing measurement%n",
              bad.version(), bad.variable(), bad.value(), bad.policy(), load.sent.get(), load.failures.size(),
              bad.gate(), failed.phase,
              failed.recent.stream().map(m -> String.valueOf(m.value)).toList(), abortSeconds,
              Duration.between(firstFailure, aborted).toSeconds());
          assertThat(Duration.between(firstFailure, aborted)).as("aborted within interval + 5 s")
              .isLessThanOrEqualTo(Duration.ofSeconds(3 + 5));
          assertThat(WebApps.condition(rejected, "Stalled").orElseThrow().getReason()).isEqualTo("GateFailed");
          assertThat(rejected.getStatus().stableRevision).isEqualTo(stable);
          assertThat(load.failures).as("only the canary's requests fail, and only as the release injects")
              .allSatisfy(failure -> assertThat(failure).startsWith("500 shop 3: injected failure (Server: gunicorn"));
        }
        assertThat(settledPods(client, ns, "canary")).as("the canaries are gone, the stable pods untouched")
            .isEqualTo(stablePods);
        assertThat(web.get("/").body()).isEqualTo("shop 2\n");
      }
      workerProbesRanAndPassed(client, ns, "canary");
    }
  }

  /**
   * The sample worker's exec liveness probe (a shell that expands $HOSTNAME for `celery inspect ping`) really
   * runs on the real node and passes: a worker pod has lived through several probe periods, and the kubelet
   * recorded no liveness failure and no restart for any worker. The same probe with the kubelet's `$(HOSTNAME)`
   * pings a node that does not exist and fails on its first run.
   */
  static void workerProbesRanAndPassed(KubernetesClient client, TestNamespace ns, String app) {
    int period = sample().getSpec().workers.get(0).health.periodSeconds;
    List<Pod> workers = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app)
        .withLabel("app.kubernetes.io/component", "celery").list().getItems();
    assertThat(workers).as("a worker pod older than two liveness periods (%d s)", 2 * period).anySatisfy(pod ->
        assertThat(Duration.between(Instant.parse(pod.getStatus().getStartTime()), Instant.now()))
            .isGreaterThan(Duration.ofSeconds(2L * period)));
    assertThat(workers).allSatisfy(pod -> assertThat(pod.getStatus().getContainerStatuses())
        .allSatisfy(container -> assertThat(container.getRestartCount()).as(pod.getMetadata().getName()).isZero()));
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(event -> "Unhealthy".equals(event.getReason())
            && event.getInvolvedObject().getName().startsWith(app + "-celery")
            && event.getMessage().startsWith("Liveness"))
        .map(event -> event.getInvolvedObject().getName() + ": " + event.getMessage()).toList())
        .as("liveness failures of the workers").isEmpty();
  }
}
