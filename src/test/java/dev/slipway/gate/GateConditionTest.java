package dev.slipway.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GateConditionTest {
  @Test
  void evaluatesThresholds() {
    GateCondition errorRate = GateCondition.compile("result < 0.01");
    assertThat(errorRate.test(0.005)).isTrue();
    assertThat(errorRate.test(0.02)).isFalse();
    assertThat(GateCondition.compile("result >= 0.0 && result < 500.0").test(499.9)).isTrue();
  }

  @Test
  void integerLiteralsCompareWithTheDoubleResult() {
    // Found by the chaos campaign: `result < 1` was refused as "no matching overload for _<_ (double, int)".
    assertThat(GateCondition.compile("result < 1").test(0.5)).isTrue();
    assertThat(GateCondition.compile("result < 1").test(1.5)).isFalse();
    assertThat(GateCondition.compile("result >= 0 && result <= 500").test(500.0)).isTrue();
  }

  @Test
  void rejectsWhatIsNotABoolOverResult() {
    assertThatThrownBy(() -> GateCondition.compile("result + 1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a CEL bool expression over `result`");
    assertThatThrownBy(() -> GateCondition.compile("latency < 1.0")).hasMessageContaining("latency");
    assertThatThrownBy(() -> GateCondition.compile("result <")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nanNeverPasses() {
    assertThat(GateCondition.compile("result < 0.01").test(Double.NaN)).isFalse();
  }
}
