package dev.slipway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.api.v1alpha1.WorkerComponent;
import dev.slipway.testing.AuditLog;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PrometheusProcess;
import dev.slipway.testing.TestExporter;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * `make bench`: the operator at scale on the local control plane (kwok plays every kubelet), measured from
 * outside: time to Ready, memory and CPU, steady-state reconciles and writes, decision latency, canary step
 * overhead, abort time and writes per workload. Sizes come from system properties (bench.apps,
 * bench.steadySeconds, bench.changes, bench.aborts); figures go to stdout and target/bench/results.json.
 */
public final class Bench {
  static final String NS = "slipway-bench";
  /** The operator's JVM flags (the chart's defaults); BENCH_JVM overrides them to compare. */
  static final List<String> JVM = List.of(System.getProperty("bench.jvm",
      "-Xmx160m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 "
          + "-Xss512k "
          + "-XX:+ExitOnOutOfMemoryError").trim().split("\\s+"));

  static final Pattern WRITE_VERB = Pattern.compile("verb=\"(create|update|patch|delete|deletecollection)\"");
  static final Pattern APISERVER_WRITE_VERB = Pattern.compile("verb=\"(POST|PUT|PATCH|APPLY|DELETE|DELETECOLLECTION)\"");

  final int apps;
  final int steadySeconds;
  final int changes;
  final int aborts;
  final KubernetesClient client = Cluster.client();
  final Map<String, Object> results = new LinkedHashMap<>();
  final List<String[]> table = new ArrayList<>();

  public Bench(int apps, int steadySeconds, int changes, int aborts) {
    this.apps = apps;
    this.steadySeconds = steadySeconds;
    this.changes = changes;
    this.aborts = aborts;
  }

  public static void main(String[] args) throws Exception {
    int exit = 1;
    try {
      new Bench(Integer.getInteger("bench.apps", 1000), Integer.getInteger("bench.steadySeconds", 300),
          Integer.getInteger("bench.changes", 100), Integer.getInteger("bench.aborts", 10)).run();
      exit = 0;
    } finally {
      // The client's threads would keep the JVM alive.
      System.exit(exit);
    }
  }

  public Map<String, Object> run() throws Exception {
    Cluster.ensureCrds();
    // A previous run's namespace may still be going away.
    client.namespaces().withName(NS).waitUntilCondition(n -> n == null, 15, TimeUnit.MINUTES);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    nodesFor(apps * 4 + 200);
    OperatorProcess operator = new OperatorProcess(Map.of("SLIPWAY_LEADER_ELECTION_LEASE_NAME", "slipway-bench",
        "SLIPWAY_LEADER_ELECTION_IDENTITY", "bench", "QUARKUS_OPERATOR_SDK_NAMESPACES", NS), JVM);
    operator.start();
    try {
      scale(operator);
      steady(operator);
      decisionLatency(operator);
      canaryAndAborts();
    } finally {
      operator.stop();
      client.namespaces().withName(NS).delete();
    }
    print();
    return results;
  }

  /** kwok nodes enough for every pod (2,000 pods each). */
  void nodesFor(int pods) {
    Node template = client.nodes().list().getItems().stream()
        .filter(n -> "fake".equals(n.getMetadata().getAnnotations().get("kwok.x-k8s.io/node"))).findFirst()
        .orElseThrow(() -> new IllegalStateException("no kwok node: run hack/cluster.sh up"));
    for (int i = 0; i < (pods + 1999) / 2000; i++) {
      String name = "bench-node-" + i;
      Node node = new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name)
          .withAnnotations(template.getMetadata().getAnnotations())
          .withLabels(Map.of("kubernetes.io/hostname", name, "type", "kwok", "kubernetes.io/os", "linux"))
          .endMetadata().withStatus(template.getStatus()).build();
      node.getStatus().setConditions(null);
      if (client.nodes().withName(name).get() == null) {
        client.nodes().resource(node).create();
      }
    }
  }

  static WebApp app(String name) {
    WebApp app = WebApps.sample("minimal.yaml", name);
    WorkerComponent worker = new WorkerComponent();
    worker.name = "worker";
    worker.command = List.of("celery", "worker");
    worker.replicas = 2;
    app.getSpec().workers = List.of(worker);
    app.getMetadata().setNamespace(NS);
    return app;
  }

  void scale(OperatorProcess operator) throws Exception {
    Instant start = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    for (int i = 0; i < apps; i++) {
      String name = "app-" + i;
      pool.submit(() -> client.resource(app(name)).create());
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    while (ready() < apps) {
      if (Duration.between(start, Instant.now()).toMinutes() > 30) {
        throw new IllegalStateException("only " + ready() + " of " + apps + " WebApps Ready after 30 min");
      }
      Thread.sleep(2000);
    }
    Duration toReady = Duration.between(start, Instant.now());
    Thread.sleep(20_000);
    System.gc();
    record("scale.jvm", String.join(" ", JVM), "operator JVM flags", String.join(" ", JVM));
    record("scale.webapps", apps, "WebApps (web + 1 worker, 2 replicas each)", String.valueOf(apps));
    record("scale.allReadySeconds", toReady.toMillis() / 1000.0, "time until all Ready", toReady.toSeconds() + " s");
    long rss = rssKiB(operator.pid());
    record("scale.rssMiB", rss / 1024, "operator RSS after settling", rss / 1024 + " MiB (goal <= 256)");
    double heap = metric(operator.metrics(), "jvm_memory_used_bytes", "area=\"heap\"") / 1024 / 1024;
    record("scale.heapMiB", Math.round(heap), "operator heap used", Math.round(heap) + " MiB");
    double cpu = cpuSeconds(operator.pid());
    record("scale.cpuSeconds", cpu, "operator CPU seconds (start to settled)", String.format("%.1f s", cpu));
  }

  /**
   * WebApps Ready now, listed in pages (one list of thousands of statuses is what times out on a busy control
   * plane); a page that fails counts none.
   */
  long ready() {
    long ready = 0;
    String next = null;
    try {
      do {
        var page = client.resources(WebApp.class).inNamespace(NS).list(new io.fabric8.kubernetes.api.model
            .ListOptionsBuilder().withLimit(200L).withContinue(next).build());
        ready += page.getItems().stream().filter(a -> WebApps.isTrue(a, "Ready")).count();
        next = page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      return ready;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return 0;
    }
  }

  void steady(OperatorProcess operator) throws Exception {
    String before = operator.metrics();
    double reconcilesBefore = metric(before, "operator_sdk_reconciliations_started_total", "");
    Instant since = Instant.now();
    Thread.sleep(steadySeconds * 1000L);
    String after = operator.metrics();
    Instant until = Instant.now();
    double reconciles = metric(after, "operator_sdk_reconciliations_started_total", "") - reconcilesBefore;
    int writes = AuditLog.writes(AuditLog.OPERATOR_USER, NS, since).size();
    crossCheck("steady", operatorWrites(after) - operatorWrites(before),
        AuditLog.writes(AuditLog.OPERATOR_USER, NS, since).stream().filter(w -> w.at().isBefore(until)).count());
    record("steady.seconds", steadySeconds, "steady state, nothing changing", steadySeconds + " s");
    record("steady.reconcilesPerSecond", reconciles / steadySeconds, "reconciles per second",
        String.format("%.2f", reconciles / steadySeconds));
    record("steady.writesPerSecond", (double) writes / steadySeconds, "mutating API calls per second (audit log)",
        String.format("%.2f (goal 0)", (double) writes / steadySeconds));
  }

  /**
   * Image changes on random WebApps, one every 200 ms: the decision latency is from the apiserver receiving the
   * edit to it receiving the operator's first Deployment patch, both read from its audit log (one clock).
   */
  void decisionLatency(OperatorProcess operator) throws Exception {
    Random random = new Random(42);
    double operatorWritesBefore = operatorWrites(operator.metrics());
    double apiserverWritesBefore = apiserverWrites();
    Instant since = Instant.now();
    Map<String, String> changed = new LinkedHashMap<>();
    for (int i = 0; i < changes; i++) {
      String name = "app-" + random.nextInt(apps);
      if (changed.containsKey(name)) {
        continue;
      }
      String image = "ghcr.io/example/hello:2." + i;
      changed.put(name, image);
      setImage(name, image);
      Thread.sleep(200);
    }
    for (Map.Entry<String, String> e : changed.entrySet()) {
      awaitStable(e.getKey(), e.getValue());
    }
    Thread.sleep(2000);
    double counted = operatorWrites(operator.metrics()) - operatorWritesBefore;
    Instant until = Instant.now();
    List<AuditLog.Write> writes = AuditLog.writes(NS, since);
    long operatorWrites = writes.stream().filter(w -> w.user().equals(AuditLog.OPERATOR_USER)).count();
    crossCheck("rollouts", counted, writes.stream()
        .filter(w -> w.user().equals(AuditLog.OPERATOR_USER) && w.at().isBefore(until)).count());
    double everyone = apiserverWrites() - apiserverWritesBefore;
    record("rollouts.apiserverWrites", everyone, "  every client's writes meanwhile (apiserver_request_total)",
        String.format("%.0f (the operator's share: %.0f%%)", everyone, 100.0 * operatorWrites / everyone));
    List<Long> latencies = new ArrayList<>();
    for (String name : changed.keySet()) {
      Instant edited = writes.stream().filter(w -> !w.user().equals(AuditLog.OPERATOR_USER)
          && w.resource().equals("webapps") && w.subresource() == null && w.name().equals(name))
          .map(AuditLog.Write::at).findFirst().orElseThrow();
      writes.stream().filter(w -> w.user().equals(AuditLog.OPERATOR_USER) && w.resource().equals("deployments")
              && w.name().startsWith(name + "-") && !w.at().isBefore(edited)).findFirst()
          .ifPresent(w -> latencies.add(Duration.between(edited, w.at()).toMillis()));
    }
    Collections.sort(latencies);
    record("latency.p50Millis", percentile(latencies, 50), "decision latency p50 (edit → Deployment patched)",
        percentile(latencies, 50) + " ms");
    record("latency.p99Millis", percentile(latencies, 99), "decision latency p99", percentile(latencies, 99)
        + " ms (goal <= 100)");
    double perWorkload = (double) operatorWrites / (changed.size() * 2);
    record("economy.rollingWritesPerWorkload", perWorkload,
        "mutating calls per workload per rolling rollout (status, events, snapshot included)",
        String.format("%.1f", perWorkload));
    Map<String, Long> byKind = new java.util.TreeMap<>();
    writes.stream().filter(w -> w.user().equals(AuditLog.OPERATOR_USER))
        .forEach(w -> byKind.merge(w.resource() + (w.subresource() != null ? "/" + w.subresource() : ""), 1L, Long::sum));
    long onWorkloads = byKind.getOrDefault("deployments", 0L) + byKind.getOrDefault("deployments/scale", 0L);
    record("economy.deploymentWritesPerWorkload", (double) onWorkloads / (changed.size() * 2),
        "  of which on the Deployment itself", String.format("%.1f", (double) onWorkloads / (changed.size() * 2)));
    record("economy.writesPerRolloutByResource", byKind, "  per rollout, by resource", byKind.entrySet().stream()
        .map(e -> e.getKey() + " " + String.format("%.1f", (double) e.getValue() / changed.size()))
        .collect(java.util.stream.Collectors.joining(", ")));
  }

  /**
   * The operator's own count of its writes (its client interceptor) against the apiserver's record of them (the
   * audit log, by user, received before the count was read); they must agree, or one of the two economy
   * figures is wrong.
   */
  void crossCheck(String phase, double counted, long audited) {
    record(phase + ".writesCountedByOperator", counted, "  writes the operator counted (slipway_api_requests_total)",
        String.format("%.0f; the apiserver logged %d from it%s", counted, audited,
            Math.round(counted) == audited ? " (agree)" : " (DISAGREE)"));
    results.put(phase + ".writesAudited", audited);
  }

  /** Writes by the operator, counted by its client interceptor; Lease renewals aside (they are not in NS). */
  static double operatorWrites(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("slipway_api_requests_total{"))
        .filter(l -> WRITE_VERB.matcher(l).find() && !l.contains("resource=\"leases\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Every client's mutating requests, from the apiserver's own metrics. */
  double apiserverWrites() {
    String metrics = client.raw("/metrics");
    return metrics == null ? Double.NaN : metrics.lines().filter(l -> l.startsWith("apiserver_request_total{"))
        .filter(l -> APISERVER_WRITE_VERB.matcher(l).find())
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** A canary with pauses (step overhead), then canaries aborted by a failing gate (abort time). */
  void canaryAndAborts() throws Exception {
    try (TestExporter exporter = new TestExporter(); PrometheusProcess prometheus = new PrometheusProcess(exporter.target())) {
      String policy = """
          apiVersion: slipway.dev/v1alpha1
          kind: RolloutPolicy
          metadata: {name: bench, namespace: slipway-bench}
          spec:
            strategy: Canary
            canary:
              steps: [{setWeight: 25}, {pause: {duration: 2s}}, {setWeight: 50}, {pause: {duration: 2s}},
                      {gate: {metrics: [error-rate]}}, {setWeight: 100}]
            gates:
            - name: error-rate
              condition: result < 0.01
              interval: 1s
              count: 1
              prometheus: {address: "%s", query: 'max(errors{app="{{app}}",track="{{track}}"})'}
          """.formatted(prometheus.address());
      client.resource(client.getKubernetesSerialization().unmarshal(policy, RolloutPolicy.class)).serverSideApply();
      // Step overhead: total canary time minus its pauses and its first measurement interval, per step.
      String name = "app-0";
      exporter.gauge("errors{app=\"" + name + "\",track=\"canary\"}", 0.0);
      usePolicy(name);
      Instant t0 = Instant.now();
      setImage(name, "ghcr.io/example/hello:3.0");
      awaitStable(name, "ghcr.io/example/hello:3.0");
      double total = Duration.between(t0, Instant.now()).toMillis();
      double overhead = (total - 4000 - 1000) / 6;
      record("canary.stepOverheadMillis", Math.round(overhead),
          "canary overhead per step (total - pauses - gate interval, / 6 steps; pod start included)",
          Math.round(overhead) + " ms");

      List<Long> abortTimes = new ArrayList<>();
      for (int i = 1; i <= aborts; i++) {
        String app = "app-" + i;
        exporter.gauge("errors{app=\"" + app + "\",track=\"canary\"}", 0.5);
        usePolicy(app);
        setImage(app, "ghcr.io/example/hello:4.0");
        WebApp stalled = awaitStalled(app);
        var gate = stalled.getStatus().canary.gates.stream().filter(g -> g.name.equals("error-rate")).findFirst()
            .orElseThrow();
        Instant failed = Instant.parse(gate.recent.get(gate.recent.size() - 1).at);
        Instant zero = awaitCanaryZero(app);
        abortTimes.add(Duration.between(failed, zero).toMillis());
      }
      Collections.sort(abortTimes);
      record("abort.p50Millis", percentile(abortTimes, 50), "abort time p50 (failing measurement → canary 0)",
          percentile(abortTimes, 50) + " ms");
      record("abort.p99Millis", percentile(abortTimes, 99), "abort time p99", percentile(abortTimes, 99)
          + " ms (goal <= interval + 5 s = 6000)");
    }
  }

  void usePolicy(String name) {
    mergePatch(name, "{\"spec\":{\"rollout\":{\"policyRef\":{\"name\":\"bench\"}}}}");
  }

  void setImage(String name, String image) {
    mergePatch(name, "{\"spec\":{\"image\":\"" + image + "\"}}");
  }

  /** A merge patch carries no resourceVersion: the operator's status writes never make it conflict. */
  void mergePatch(String name, String patch) {
    client.resources(WebApp.class).inNamespace(NS).withName(name)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
  }

  void awaitStable(String name, String image) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      WebApp a = client.resources(WebApp.class).inNamespace(NS).withName(name).get();
      if (image.equals(a.getSpec().image) && a.getStatus() != null
          && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration) && WebApps.isTrue(a, "Ready")
          && a.getStatus().updateRevision.equals(a.getStatus().stableRevision)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not promote " + image);
  }

  WebApp awaitStalled(String name) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      WebApp a = client.resources(WebApp.class).inNamespace(NS).withName(name).get();
      if (a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration) && WebApps.isTrue(a, "Stalled")
          && a.getStatus().canary != null) {
        return a;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not abort");
  }

  Instant awaitCanaryZero(String name) throws InterruptedException {
    Deployment d;
    for (int i = 0; i < 600; i++) {
      d = client.apps().deployments().inNamespace(NS).withName(name + "-web-canary").get();
      if (d != null && Integer.valueOf(0).equals(d.getSpec().getReplicas())) {
        return Instant.now();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(name + "-web-canary never went to 0");
  }

  void record(String key, Object value, String label, String shown) {
    results.put(key, value);
    table.add(new String[] {label, shown});
  }

  void print() throws IOException {
    results.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs, "
        + Runtime.getRuntime().maxMemory() / 1024 / 1024 + " MiB test heap, " + System.getProperty("os.name"));
    int width = table.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    System.out.println("\nSlipway benchmark (" + results.get("machine") + ")");
    for (String[] row : table) {
      System.out.printf("  %-" + width + "s  %s%n", row[0], row[1]);
    }
    Path out = Path.of("target", "bench", "results.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
    System.out.println("  written to " + out);
  }

  static long percentile(List<Long> sorted, int p) {
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** Sum of a metric's samples whose labels contain `labelFilter`. */
  static double metric(String metrics, String name, String labelFilter) {
    return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(labelFilter))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static long rssKiB(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
        .findFirst().orElse(-1);
  }

  static double cpuSeconds(long pid) throws IOException {
    String[] f = Files.readString(Path.of("/proc", String.valueOf(pid), "stat")).split("\\)\\s+")[1].split("\\s+");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
}
