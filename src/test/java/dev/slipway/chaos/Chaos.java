package dev.slipway.chaos;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.AuditLog;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.Commands;
import dev.slipway.testing.PrometheusProcess;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * `make chaos`: rolling and canary rollouts of the django-celery sample while the operator is killed at random
 * instants, killed right after one of the writes of a reconcile, made to fail over to its standby, and while
 * kube-apiserver and etcd restart. Whatever happens: the stable capacity and the canary size hold at every
 * observed instant ({@link Invariants}), every rollout converges, nothing is created twice in a round, nothing
 * is orphaned, and each app ends exactly as an undisturbed app taken to the same spec. Prints counts per fault
 * and per outcome; sizes come from system properties (chaos.apps, chaos.rounds, chaos.failovers, chaos.seed).
 */
public final class Chaos {
  static final String NS = "slipway-chaos";
  /** web 3 replicas and celery 2, maxUnavailable 1; the canary's highest step is 66%. */
  static final Invariants.Limits LIMITS = new Invariants.Limits(Map.of("web", 2, "celery", 1),
      Map.of("web", 2, "celery", 2));
  /** Faults stop this long into a round, so a round that then fails to converge is a finding, not bad luck. */
  static final Duration FAULTS_PER_ROUND = Duration.ofMinutes(2);
  static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

  public enum Fault { KILL, FAILOVER, APISERVER_RESTART, ETCD_RESTART }

  /** Faults injected, outcomes counted, and findings: anything that must not happen (empty when all held). */
  public record Result(Map<Fault, Integer> faults, Map<String, Integer> outcomes, List<String> findings) {}

  final int apps;
  final int rounds;
  final int failovers;
  final boolean controlPlaneFaults;
  final Random random;
  final long seed;
  final KubernetesClient client = Cluster.client();
  final Map<Fault, Integer> injected = new LinkedHashMap<>();
  final Map<String, Integer> outcomes = new TreeMap<>();
  final List<String> findings = new ArrayList<>();
  final List<Long> failoverMillis = new ArrayList<>();

  public Chaos(int apps, int rounds, int failovers, boolean controlPlaneFaults, long seed) {
    this.apps = apps;
    this.rounds = rounds;
    this.failovers = failovers;
    this.controlPlaneFaults = controlPlaneFaults;
    this.seed = seed;
    this.random = new Random(seed);
  }

  public static void main(String[] args) {
    int exit = 1;
    try {
      Result result = new Chaos(Integer.getInteger("chaos.apps", 10), Integer.getInteger("chaos.rounds", 20),
          Integer.getInteger("chaos.failovers", 10), true, Long.getLong("chaos.seed", System.nanoTime())).run();
      exit = result.findings().isEmpty() ? 0 : 3;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      System.exit(exit);
    }
  }

  public Result run() throws Exception {
    Cluster.ensureCrds();
    client.namespaces().withName(NS).waitUntilCondition(n -> n == null, 5, TimeUnit.MINUTES);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    Instant started = Instant.now();
    try (PrometheusProcess prometheus = new PrometheusProcess("127.0.0.1:9");
        Invariants invariants = new Invariants(NS, LIMITS);
        Operators operators = new Operators(NS, random)) {
      createPolicies(prometheus.address());
      List<String> names = Stream.iterate(0, i -> i + 1).limit(apps).map(i -> "chaos-" + i).toList();
      names.forEach(name -> create(name, canary(name)));
      awaitConverged(names, operators, 0, false);
      for (int round = 1; round <= rounds; round++) {
        Instant roundStart = Instant.now();
        String image = image(round);
        names.forEach(name -> setImage(name, image));
        awaitConverged(names, operators, round, true);
        noDuplicateCreates(roundStart, round);
      }
      operators.disarm();
      compareWithUndisturbed(names, operators);
      findings.addAll(invariants.violations());
      findings.addAll(operators.unexpectedExits);
      operators.close();
      findings.addAll(operators.unexpectedLogEntries());
      operators.haltsByWrite.forEach((write, n) -> outcomes.put("operator died right after write #" + write
          + " of its life", n));
      if (operators.leaseLosses > 0) {
        outcomes.put("restart slower than the lease: standby took over, old leader halted", operators.leaseLosses);
      }
    } finally {
      client.namespaces().withName(NS).delete();
    }
    return report(Duration.between(started, Instant.now()));
  }

  static boolean canary(String app) {
    return Integer.parseInt(app.substring(app.lastIndexOf('-') + 1)) % 2 == 1;
  }

  static String image(int round) {
    return "ghcr.io/example/shop:1." + round + ".0";
  }

  void createPolicies(String prometheus) {
    RolloutPolicy policy = client.getKubernetesSerialization().unmarshal("""
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: canary}
        spec:
          strategy: Canary
          rolling: {maxSurge: 1, maxUnavailable: 1}
          canary:
            steps: [{setWeight: 33}, {gate: {metrics: [healthy], duration: 2s}}, {setWeight: 66}, {pause: {duration: 1s}}]
            backgroundGates: [healthy]
          gates:
          - name: healthy
            prometheus: {address: "%s", query: "vector(0)"}
            condition: result < 1
            interval: 1s
            count: 2
        """.formatted(prometheus), RolloutPolicy.class);
    client.resource(policy).inNamespace(NS).create();
  }

  void create(String name, boolean canary) {
    WebApp app = WebApps.sample("django-celery.yaml", name);
    app.getSpec().image = image(0);
    if (canary) {
      WebApps.usingPolicy(app, "canary");
    }
    app.getMetadata().setNamespace(NS);
    retry(() -> client.resource(app).create());
  }

  void setImage(String name, String image) {
    retry(() -> client.resources(WebApp.class).inNamespace(NS).withName(name).edit(a -> {
      a.getSpec().image = image;
      return a;
    }));
  }

  /** API calls of the harness itself ride out the control-plane restarts it causes. */
  static void retry(Runnable call) {
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        return;
      } catch (KubernetesClientException e) {
        if (attempt == 30) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  /** Name, node and phase of every pod of the campaign that is not Ready: what a stuck rollout waits for. */
  private String podsNotReady() {
    return client.pods().inNamespace(NS).list().getItems().stream()
        .filter(pod -> pod.getStatus() == null || pod.getStatus().getConditions().stream()
            .noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .map(pod -> pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName() + " "
            + (pod.getStatus() == null ? "(no status)" : pod.getStatus().getPhase()))
        .toList().toString();
  }

  /** Injects faults at random instants until every app runs the round's revision, Ready. */
  void awaitConverged(List<String> names, Operators operators, int round, boolean disturb) {
    long faultsUntil = System.nanoTime() + FAULTS_PER_ROUND.toNanos();
    long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
    Set<Fault> once = new HashSet<>();
    BooleanSupplier done = () -> names.stream().allMatch(n -> converged(n, image(round)));
    // Every disturbed round gets its scheduled fault, even one whose rollouts converge before it comes.
    boolean injected = false;
    while (!done.getAsBoolean() || disturb && !injected) {
      if (System.nanoTime() > deadline) {
        findings.add("round " + round + " did not converge within " + ROUND_TIMEOUT + ": " + names.stream()
            .map(n -> n + " " + WebApps.summary(get(n))).collect(Collectors.joining("; "))
            + "; pods not Ready: " + podsNotReady());
        return;
      }
      operators.reviveExited();
      sleep(1000 + random.nextInt(4000));
      if (disturb && System.nanoTime() < faultsUntil && (!injected || !done.getAsBoolean())) {
        injected |= inject(pick(round, once), operators);
      }
    }
    if (disturb) {
      names.forEach(n -> outcomes.merge((canary(n) ? "canary" : "rolling") + " rollouts converged", 1, Integer::sum));
    }
  }

  /** Mostly kills; each round's share of failovers and, every fifth round, an apiserver then an etcd restart. */
  Fault pick(int round, Set<Fault> once) {
    int failoverEvery = failovers == 0 ? 0 : Math.max(1, rounds / failovers);
    if (failoverEvery > 0 && round % failoverEvery == 0 && once.add(Fault.FAILOVER)) {
      return Fault.FAILOVER;
    }
    if (controlPlaneFaults && round % 5 == 2 && once.add(Fault.APISERVER_RESTART)) {
      return Fault.APISERVER_RESTART;
    }
    if (controlPlaneFaults && round % 5 == 3 && once.add(Fault.ETCD_RESTART)) {
      return Fault.ETCD_RESTART;
    }
    return Fault.KILL;
  }

  /** True when the fault happened (a kill needs a leader it can read). */
  boolean inject(Fault fault, Operators operators) {
    boolean done = switch (fault) {
      case KILL -> operators.killLeader();
      case FAILOVER -> {
        Duration took = operators.failover();
        if (took != null) {
          failoverMillis.add(took.toMillis());
        }
        yield took != null;
      }
      case APISERVER_RESTART -> restart("kube-apiserver");
      case ETCD_RESTART -> restart("etcd");
    };
    if (done) {
      injected.merge(fault, 1, Integer::sum);
    }
    return done;
  }

  static boolean restart(String component) {
    Commands.run(Cluster.repo().resolve("hack/cluster.sh").toString(), "restart", component);
    return true;
  }

  WebApp get(String name) {
    try {
      return client.resources(WebApp.class).inNamespace(NS).withName(name).get();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  boolean converged(String name, String image) {
    WebApp app = get(name);
    return app != null && app.getStatus() != null && image.equals(app.getSpec().image)
        && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration) && WebApps.isTrue(app, "Ready")
        && app.getStatus().updateRevision != null
        && app.getStatus().updateRevision.equals(app.getStatus().stableRevision);
  }

  /** A finished step is never re-run: within a round nothing is created twice (a migration Job, a canary). */
  void noDuplicateCreates(Instant since, int round) {
    Map<String, Long> creates = AuditLog.writes(AuditLog.OPERATOR_USER, NS, since).stream()
        .filter(w -> "create".equals(w.verb()) && w.subresource() == null && !"events".equals(w.resource()))
        .collect(Collectors.groupingBy(w -> w.resource() + "/" + w.name(), Collectors.counting()));
    creates.forEach((object, n) -> {
      if (n > 1) {
        findings.add("round " + round + ": " + object + " created " + n + " times");
      }
    });
  }

  /**
   * The end state of every app equals the one of an app taken from the first to the last spec with nothing
   * disturbing it, and nothing in the namespace is orphaned.
   */
  void compareWithUndisturbed(List<String> names, Operators operators) {
    for (boolean canary : List.of(false, true)) {
      String reference = canary ? "reference-canary" : "reference-rolling";
      create(reference, canary);
      awaitConverged(List.of(reference), operators, 0, false);
      setImage(reference, image(rounds));
      awaitConverged(List.of(reference), operators, rounds, false);
    }
    awaitSettled();
    for (String name : names) {
      List<String> expected = fingerprint(canary(name) ? "reference-canary" : "reference-rolling");
      List<String> actual = fingerprint(name);
      if (!actual.equals(expected)) {
        findings.add(name + " ended as " + actual + " where an undisturbed app ended as " + expected);
      } else {
        outcomes.merge("apps that ended exactly as an undisturbed app", 1, Integer::sum);
      }
    }
    findings.addAll(orphans());
  }

  /** Until no pod terminates or waits to start: the Deployment controller has finished. */
  void awaitSettled() {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && client.pods().inNamespace(NS).list().getItems().stream()
        .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null
            || !"Running".equals(p.getStatus().getPhase()) && !"Succeeded".equals(p.getStatus().getPhase()))) {
      sleep(500);
    }
  }

  /** What an app owns and how its status reads, with its name taken out. */
  List<String> fingerprint(String app) {
    List<String> lines = new ArrayList<>();
    String label = "app.kubernetes.io/name";
    for (Deployment d : client.apps().deployments().inNamespace(NS).withLabel(label, app).list().getItems()) {
      lines.add("deployment " + d.getMetadata().getName().substring(app.length()) + " replicas="
          + d.getSpec().getReplicas() + " ready=" + d.getStatus().getReadyReplicas() + " revision="
          + d.getSpec().getTemplate().getMetadata().getLabels().get("slipway.dev/revision") + " images="
          + d.getSpec().getTemplate().getSpec().getContainers().stream().map(c -> c.getImage()).toList());
    }
    client.services().inNamespace(NS).withLabel(label, app).list().getItems().forEach(s -> lines.add("service "
        + s.getMetadata().getName().substring(app.length()) + " selects " + s.getSpec().getSelector().size()
        + " labels"));
    client.policy().v1().podDisruptionBudget().inNamespace(NS).withLabel(label, app).list().getItems()
        .forEach(p -> lines.add("pdb " + p.getMetadata().getName().substring(app.length()) + " maxUnavailable="
            + p.getSpec().getMaxUnavailable()));
    client.pods().inNamespace(NS).withLabel(label, app).list().getItems().stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get("app.kubernetes.io/component") + "/"
            + p.getMetadata().getLabels().get("slipway.dev/track"), TreeMap::new, Collectors.counting()))
        .forEach((group, n) -> lines.add("running pods " + group + "=" + n));
    WebApp w = get(app);
    lines.add("status phase=" + w.getStatus().phase + " stable=" + w.getStatus().stableRevision + " conditions="
        + w.getStatus().conditions.stream().map(c -> c.getType() + "=" + c.getStatus()).sorted().toList()
        + " canary=" + (w.getStatus().canary == null ? null : w.getStatus().canary.phase + "@"
        + w.getStatus().canary.step + "/" + w.getStatus().canary.steps));
    lines.sort(null);
    return lines;
  }

  /** Objects whose owner is gone, and old ReplicaSets still holding pods. */
  List<String> orphans() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.resources(WebApp.class).inNamespace(NS).list().getItems());
    all.addAll(client.apps().deployments().inNamespace(NS).list().getItems());
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(NS).list().getItems();
    all.addAll(replicaSets);
    all.addAll(client.batch().v1().jobs().inNamespace(NS).list().getItems());
    all.addAll(client.services().inNamespace(NS).list().getItems());
    all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(NS).list().getItems());
    all.addAll(client.pods().inNamespace(NS).list().getItems());
    Set<String> uids = all.stream().map(o -> o.getMetadata().getUid()).collect(Collectors.toSet());
    List<String> found = new ArrayList<>();
    all.stream().filter(o -> !(o instanceof WebApp))
        .filter(o -> o.getMetadata().getOwnerReferences().stream().noneMatch(r -> uids.contains(r.getUid())))
        .forEach(o -> found.add("orphaned " + o.getKind() + " " + o.getMetadata().getName()));
    // Per Deployment, only the ReplicaSet of its latest revision may hold pods.
    replicaSets.stream().collect(Collectors.groupingBy(rs -> rs.getMetadata().getOwnerReferences().isEmpty() ? ""
            : rs.getMetadata().getOwnerReferences().get(0).getUid())).values().forEach(owned -> owned.stream()
        .sorted((x, y) -> Long.compare(revision(y), revision(x))).skip(1)
        .filter(rs -> rs.getSpec().getReplicas() > 0)
        .forEach(rs -> found.add("old ReplicaSet " + rs.getMetadata().getName() + " still has "
            + rs.getSpec().getReplicas() + " replicas")));
    return found;
  }

  static long revision(ReplicaSet rs) {
    return Long.parseLong(rs.getMetadata().getAnnotations().getOrDefault("deployment.kubernetes.io/revision", "0"));
  }

  Result report(Duration took) {
    System.out.println();
    System.out.printf("[chaos] %d apps × %d rounds (seed %d) in %d s%n", apps, rounds, seed, took.toSeconds());
    System.out.println("[chaos] faults injected");
    injected.forEach((f, n) -> System.out.printf("[chaos]   %-60s %5d%n", f.name().toLowerCase().replace('_', ' '), n));
    if (!failoverMillis.isEmpty()) {
      System.out.printf("[chaos]   %-60s %5d%n", "slowest failover (ms)",
          failoverMillis.stream().mapToLong(x -> x).max().orElse(0));
    }
    System.out.println("[chaos] outcomes");
    outcomes.forEach((o, n) -> System.out.printf("[chaos]   %-60s %5d%n", o, n));
    System.out.printf("[chaos]   %-60s %5d%n", "findings (invariant broken, not converged, orphan, …)",
        findings.size());
    findings.stream().limit(40).forEach(f -> System.out.println("[chaos] FINDING " + f));
    return new Result(Map.copyOf(injected), Map.copyOf(outcomes), List.copyOf(findings));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
