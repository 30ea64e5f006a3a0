package dev.slipway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gate.GateSettings.OnNoData;
import dev.slipway.gate.GateVerdict.Phase;
import dev.slipway.gate.Measurement.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class GateJudgeTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final GateSettings SETTINGS = new GateSettings(Duration.ofSeconds(10), 3, 0, 4, OnNoData.Inconclusive,
      Duration.ofSeconds(60));

  static List<Measurement> measurements(Outcome... outcomes) {
    List<Measurement> list = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      Double value = outcomes[i] == Outcome.Successful ? Double.valueOf(0.001)
          : outcomes[i] == Outcome.Failed ? Double.valueOf(0.05) : null;
      list.add(new Measurement(T0.plusSeconds(10L * i), outcomes[i], value,
          outcomes[i] == Outcome.Error ? "connection refused" : null));
    }
    return list;
  }

  static GateVerdict judge(GateSettings s, Outcome... outcomes) {
    return GateJudge.judge(s, measurements(outcomes), T0.plusSeconds(10L * outcomes.length));
  }

  @Test
  void passesAfterCountSuccessfulMeasurements() {
    assertThat(judge(SETTINGS, Outcome.Successful, Outcome.Successful).phase()).isEqualTo(Phase.Running);
    GateVerdict v = judge(SETTINGS, Outcome.Successful, Outcome.Successful, Outcome.Successful);
    assertThat(v.phase()).isEqualTo(Phase.Successful);
    assertThat(v.reason()).contains("3 of 3 measurements passed").contains("0.001");
  }

  @Test
  void valuesAreShownToFourSignificantDigits() {
    assertThat(Measurement.readable(0.018298151958597738)).isEqualTo("0.0183");
    assertThat(Measurement.readable(412.53)).isEqualTo("412.5");
    assertThat(Measurement.readable(12345.6)).isEqualTo("12350");
    assertThat(Measurement.readable(3.0)).isEqualTo("3");
    assertThat(Measurement.readable(0)).isEqualTo("0");
    assertThat(Measurement.readable(-0.5)).isEqualTo("-0.5");
    assertThat(Measurement.readable(Double.NaN)).isEqualTo("NaN");
    GateVerdict v = GateJudge.judge(SETTINGS, List.of(new Measurement(T0, Outcome.Failed, 0.018298151958597738, null)),
        T0.plusSeconds(10));
    assertThat(v.reason()).endsWith("last value 0.0183");
  }

  @Test
  void oneFailureBeyondTheLimitFails() {
    GateVerdict v = judge(SETTINGS, Outcome.Successful, Outcome.Failed);
    assertThat(v.phase()).isEqualTo(Phase.Failed);
    assertThat(v.reason()).contains("1 of 2 measurements failed").contains("0.05");
    GateSettings tolerant = new GateSettings(SETTINGS.interval(), 3, 1, 4, OnNoData.Inconclusive,
        SETTINGS.inconclusiveTimeout());
    assertThat(judge(tolerant, Outcome.Failed, Outcome.Successful, Outcome.Successful).phase())
        .isEqualTo(Phase.Successful);
  }

  @Test
  void errorsFailClosedAfterTheConsecutiveLimit() {
    assertThat(judge(SETTINGS, Outcome.Error, Outcome.Error, Outcome.Error).phase()).isEqualTo(Phase.Running);
    GateVerdict v = judge(SETTINGS, Outcome.Error, Outcome.Error, Outcome.Error, Outcome.Error);
    assertThat(v.phase()).isEqualTo(Phase.Failed);
    assertThat(v.reason()).contains("4 consecutive query errors").contains("connection refused");
    assertThat(judge(SETTINGS, Outcome.Error, Outcome.Error, Outcome.Successful, Outcome.Error).phase())
        .as("a success resets the streak").isEqualTo(Phase.Running);
  }

  @Test
  void noDataFollowsOnNoData() {
    GateVerdict held = judge(SETTINGS, Outcome.NoData, Outcome.NoData);
    assertThat(held.phase()).isEqualTo(Phase.Inconclusive);
    List<Measurement> stale = measurements(Outcome.NoData, Outcome.NoData);
    assertThat(GateJudge.judge(SETTINGS, stale, T0.plusSeconds(61)).phase()).isEqualTo(Phase.Failed);
    assertThat(GateJudge.judge(SETTINGS, stale, T0.plusSeconds(61)).reason()).contains("inconclusiveTimeout 60s");

    GateSettings fail = new GateSettings(SETTINGS.interval(), 3, 0, 4, OnNoData.Fail, SETTINGS.inconclusiveTimeout());
    assertThat(judge(fail, Outcome.NoData).phase()).isEqualTo(Phase.Failed);
    GateSettings pass = new GateSettings(SETTINGS.interval(), 3, 0, 4, OnNoData.Pass, SETTINGS.inconclusiveTimeout());
    assertThat(judge(pass, Outcome.NoData, Outcome.NoData, Outcome.NoData).phase()).isEqualTo(Phase.Successful);
  }

  @Provide
  Arbitrary<List<Outcome>> outcomes() {
    return Arbitraries.of(Outcome.class).list().ofMaxSize(12);
  }

  @Property
  void neverPassesWithoutData(@ForAll("outcomes") List<Outcome> outcomes) {
    GateVerdict v = judge(SETTINGS, outcomes.toArray(Outcome[]::new));
    if (v.phase() == Phase.Successful) {
      assertThat(outcomes.stream().filter(o -> o == Outcome.Successful).count())
          .as("a pass needs count real successes").isGreaterThanOrEqualTo(SETTINGS.count());
      assertThat(outcomes).doesNotContain(Outcome.Failed);
    }
  }

  @Property
  void anUnreachablePrometheusNeverPasses(@ForAll("outcomes") List<Outcome> outcomes) {
    List<Outcome> allErrors = outcomes.stream().map(o -> Outcome.Error).toList();
    assertThat(judge(SETTINGS, allErrors.toArray(Outcome[]::new)).phase())
        .isIn(Phase.Running, Phase.Failed);
  }
}
