package dev.slipway.gate;

import dev.slipway.gate.GateSettings.OnNoData;
import dev.slipway.gate.GateVerdict.Phase;
import dev.slipway.gate.Measurement.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Judges a gate from its measurements. Pure; never passes on missing data unless told to. */
public final class GateJudge {
  private GateJudge() {}

  public static GateVerdict judge(GateSettings s, List<Measurement> measurements, Instant now) {
    long failed = measurements.stream().filter(m -> m.outcome() == Outcome.Failed
        || (m.outcome() == Outcome.NoData && s.onNoData() == OnNoData.Fail)).count();
    if (failed > s.failureLimit()) {
      return new GateVerdict(Phase.Failed, failed + " of " + measurements.size()
          + " measurements failed (failureLimit " + s.failureLimit() + ")" + lastValue(measurements));
    }
    int errors = trailing(measurements, Outcome.Error);
    if (errors >= s.consecutiveErrorLimit()) {
      return new GateVerdict(Phase.Failed, errors + " consecutive query errors (consecutiveErrorLimit "
          + s.consecutiveErrorLimit() + "), last: " + measurements.get(measurements.size() - 1).error());
    }
    int noData = trailing(measurements, Outcome.NoData);
    if (noData > 0 && s.onNoData() == OnNoData.Inconclusive) {
      Instant since = measurements.get(measurements.size() - noData).at();
      if (!Duration.between(since, now).minus(s.inconclusiveTimeout()).isNegative()) {
        return new GateVerdict(Phase.Failed, "no data for " + Duration.between(since, now).toSeconds()
            + "s (inconclusiveTimeout " + s.inconclusiveTimeout().toSeconds() + "s)");
      }
      return new GateVerdict(Phase.Inconclusive, "no data since " + since);
    }
    long passed = measurements.stream().filter(m -> m.outcome() == Outcome.Successful
        || (m.outcome() == Outcome.NoData && s.onNoData() == OnNoData.Pass)).count();
    if (passed + failed >= s.count()) {
      return new GateVerdict(Phase.Successful, passed + " of " + measurements.size() + " measurements passed"
          + lastValue(measurements));
    }
    return new GateVerdict(Phase.Running, (passed + failed) + " of " + s.count() + " measurements taken");
  }

  /** When the next measurement is due: one interval after the last, or now for the first. */
  public static Instant nextMeasurement(GateSettings s, List<Measurement> measurements, Instant now) {
    return measurements.isEmpty() ? now : measurements.get(measurements.size() - 1).at().plus(s.interval());
  }

  private static int trailing(List<Measurement> measurements, Outcome outcome) {
    int n = 0;
    for (int i = measurements.size() - 1; i >= 0 && measurements.get(i).outcome() == outcome; i--) {
      n++;
    }
    return n;
  }

  private static String lastValue(List<Measurement> measurements) {
    for (int i = measurements.size() - 1; i >= 0; i--) {
      if (measurements.get(i).value() != null) {
        return "; last value " + measurements.get(i).value();
      }
    }
    return "";
  }
}
