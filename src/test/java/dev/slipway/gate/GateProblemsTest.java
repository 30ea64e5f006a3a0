package dev.slipway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.PrometheusQuery;
import dev.slipway.gate.GateProblems.Problem;
import org.junit.jupiter.api.Test;

public class GateProblemsTest {
  public static GateSpec gate(String condition, String query) {
    GateSpec gate = new GateSpec();
    gate.name = "g";
    gate.condition = condition;
    gate.prometheus = new PrometheusQuery();
    gate.prometheus.query = query;
    return gate;
  }

  @Test
  void aUsableGateHasNone() {
    assertThat(GateProblems.of(gate("result < 0.01", "sum(rate(x{app=\"{{app}}\",track=\"{{track}}\"}[1m]))")))
        .isEmpty();
  }

  @Test
  void eachUnusableFieldIsNamedWithWhy() {
    GateSpec gate = gate("result <", "x{pod=\"{{pod}}\"}");
    gate.interval = "0s";
    gate.inconclusiveTimeout = "soon";
    assertThat(GateProblems.of(gate)).extracting(Problem::field)
        .containsExactly("condition", "prometheus.query", "interval", "inconclusiveTimeout");
    assertThat(GateProblems.of(gate)).extracting(Problem::message).satisfiesExactly(
        cel -> assertThat(cel).isNotBlank(),
        query -> assertThat(query).contains("unknown placeholder {{pod}}"),
        interval -> assertThat(interval).isEqualTo("must be more than 0"),
        timeout -> assertThat(timeout).contains("\"soon\" is not a duration"));
  }
}
