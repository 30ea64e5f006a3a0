package dev.slipway.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.RolloutPolicySpec;
import dev.slipway.gate.GateProblemsTest;
import org.junit.jupiter.api.Test;

class GateRunnerTest {
  @Test
  void aPolicyWithUnusableGatesNamesEachGateAndField() {
    RolloutPolicySpec policy = new RolloutPolicySpec();
    policy.gates.add(GateProblemsTest.gate("result < 0.01", "x{app=\"{{app}}\"}"));
    assertThat(new GateRunner(null, null).problems(policy)).isNull();

    var broken = GateProblemsTest.gate("result < 0.01", "x{pod=\"{{pod}}\"}");
    broken.name = "errors";
    broken.interval = "0s";
    policy.gates.add(broken);
    assertThat(new GateRunner(null, null).problems(policy)).isEqualTo(
        "gate errors: prometheus.query: unknown placeholder {{pod}} in query; known: [app, component, namespace, "
        + "revision, track]; gate errors: interval: must be more than 0");
  }
}
