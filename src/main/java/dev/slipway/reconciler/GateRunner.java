package dev.slipway.reconciler;

import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.RolloutPolicySpec;
import dev.slipway.desired.Component;
import dev.slipway.desired.Owner;
import dev.slipway.gate.GateCondition;
import dev.slipway.gate.GateProblems;
import dev.slipway.gate.Measurement;
import dev.slipway.gate.PrometheusClient;
import dev.slipway.gate.QueryResult;
import dev.slipway.gate.QueryTemplate;
import dev.slipway.rollout.Gates.GateRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Takes the measurements of a canary's gates: fills each query's placeholders, asks Prometheus, judges. */
final class GateRunner {
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final PrometheusClient prometheus = new PrometheusClient(QUERY_TIMEOUT);
  private final GateEndpoints endpoints;
  private final OperatorMetrics metrics;
  /** Compiled conditions by expression: a policy serves many WebApps and its conditions rarely change. */
  private final Map<String, GateCondition> conditions = new ConcurrentHashMap<>();

  GateRunner(GateEndpoints endpoints, OperatorMetrics metrics) {
    this.endpoints = endpoints;
    this.metrics = metrics;
  }

  /** Why the policy's canary cannot run (a condition that is not CEL, an unknown placeholder), or null. */
  String problems(RolloutPolicySpec policy) {
    List<String> problems = new ArrayList<>();
    for (GateSpec gate : policy.gates) {
      GateProblems.of(gate, this::condition).forEach(p -> problems.add("gate " + gate.name + ": " + p.field() + ": " + p.message()));
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  static Map<String, GateSpec> byName(RolloutPolicySpec policy) {
    Map<String, GateSpec> gates = new LinkedHashMap<>();
    policy.gates.forEach(g -> gates.put(g.name, g));
    return gates;
  }

  /** Each gate's query for this WebApp's pods of `revision` on `track` (canary, or a blue-green preview). */
  static Map<String, String> queries(Map<String, GateSpec> gates, Owner owner, String revision, String track) {
    Map<String, String> queries = new HashMap<>();
    gates.forEach((name, gate) -> queries.put(name,
        QueryTemplate.render(gate.prometheus.query, placeholders(owner, revision, gate, track))));
    return queries;
  }

  Map<GateRun, Measurement> measure(Owner owner, List<GateRun> due, Map<String, GateSpec> gates,
      Map<String, String> queries, Instant now) {
    Map<GateRun, Measurement> measured = new HashMap<>();
    for (GateRun run : due) {
      GateSpec gate = gates.get(run.name());
      GateCondition condition = condition(gate);
      QueryResult result;
      try {
        result = prometheus.query(endpoints.resolve(owner.namespace(), gate.prometheus), queries.get(run.name()));
      } catch (GateEndpoints.Unreadable e) {
        result = new QueryResult.Failure(e.getMessage());
      }
      Measurement m = Measurement.of(now, result, condition);
      metrics.measured(owner, run.name(), m);
      measured.put(run, m);
    }
    return measured;
  }

  /** Compiled once per expression; a condition that does not compile is not cached and throws each time. */
  private GateCondition condition(GateSpec gate) {
    return condition(gate.condition);
  }

  /** Compiled once per expression; one that does not compile is not kept and throws each time. */
  private GateCondition condition(String expression) {
    return conditions.computeIfAbsent(expression, GateCondition::compile);
  }

  private static Map<String, String> placeholders(Owner owner, String revision, GateSpec gate, String track) {
    return Map.of("app", owner.name(), "namespace", owner.namespace(),
        "component", gate.component != null ? gate.component : Component.WEB, "revision", revision,
        "track", track);
  }
}
