package dev.slipway.gate;

import dev.slipway.api.v1alpha1.GateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What makes a gate unusable, judged one way for the operator (which then stops every WebApp of the policy
 * before anything changes) and for `kubectl slipway lint` (which says it before the policy is applied). Pure.
 */
public final class GateProblems {
  private GateProblems() {}

  /** A problem with one field of a gate, named by its path below the gate. */
  public record Problem(String field, String message) {}

  /** A value for each placeholder: a query must render for any WebApp, whatever its names. */
  private static final Map<String, String> ANY_APP = QueryTemplate.NAMES.stream()
      .collect(Collectors.toMap(name -> name, name -> name));

  public static List<Problem> of(GateSpec gate) {
    return of(gate, GateCondition::compile);
  }

  /**
   * @param compile how conditions are compiled: the operator checks its policies on every reconcile and passes
   *     its cache of compiled conditions, as compiling CEL costs more than the rest of the check
   */
  public static List<Problem> of(GateSpec gate, Function<String, GateCondition> compile) {
    List<Problem> problems = new ArrayList<>();
    if (gate.condition != null) {
      check(problems, "condition", () -> compile.apply(gate.condition));
    }
    if (gate.prometheus != null && gate.prometheus.query != null) {
      check(problems, "prometheus.query", () -> QueryTemplate.render(gate.prometheus.query, ANY_APP));
    }
    check(problems, "interval", () -> {
      if (GoDuration.parse(gate.interval).isZero()) {
        throw new IllegalArgumentException("must be more than 0");
      }
    });
    check(problems, "inconclusiveTimeout", () -> GoDuration.parse(gate.inconclusiveTimeout));
    return problems;
  }

  private static void check(List<Problem> problems, String field, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(field, e.getMessage()));
    }
  }
}
