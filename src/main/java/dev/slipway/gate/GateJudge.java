package dev.slipway.gate;

import dev.slipway.gate.GateSettings.OnNoData;
import dev.slipway.gate.GateVerdict.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Judges a gate from its measurements. Pure; never passes on missing data unless told to. */
public final class GateJudge {
  private GateJudge() {}

  public static GateVerdict judge(GateSettings s, List<Measurement> measurements, Instant now) {
    return judge(s, GateTally.of(measurements), now);
  }

  public static GateVerdict judge(GateSettings s, GateTally t, Instant now) {
    int failed = t.failed() + (s.onNoData() == OnNoData.Fail ? t.noData() : 0);
    if (failed > s.failureLimit()) {
      return new GateVerdict(Phase.Failed, failed + " of " + t.taken()
          + " measurements failed (failureLimit " + s.failureLimit() + ")" + lastValue(t));
    }
    if (t.consecutiveErrors() >= s.consecutiveErrorLimit()) {
      return new GateVerdict(Phase.Failed, t.consecutiveErrors() + " consecutive query errors (consecutiveErrorLimit "
          + s.consecutiveErrorLimit() + "), last: " + t.lastError());
    }
    if (t.consecutiveNoData() > 0 && s.onNoData() == OnNoData.Inconclusive) {
      Duration silent = Duration.between(t.noDataSince(), now);
      if (silent.compareTo(s.inconclusiveTimeout()) >= 0) {
        return new GateVerdict(Phase.Failed, "no data for " + silent.toSeconds() + "s (inconclusiveTimeout "
            + s.inconclusiveTimeout().toSeconds() + "s)");
      }
      return new GateVerdict(Phase.Inconclusive, "no data since " + t.noDataSince());
    }
    int passed = t.passed() + (s.onNoData() == OnNoData.Pass ? t.noData() : 0);
    if (passed + failed >= s.count()) {
      return new GateVerdict(Phase.Successful, passed + " of " + t.taken() + " measurements passed" + lastValue(t));
    }
    return new GateVerdict(Phase.Running, (passed + failed) + " of " + s.count() + " measurements taken");
  }

  private static String lastValue(GateTally t) {
    return t.lastValue() == null ? "" : "; last value " + Measurement.readable(t.lastValue());
  }
}
