package dev.slipway.gate;

import dev.slipway.gate.Measurement.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * What a gate's measurements add up to. A gate is judged from this tally, not from every measurement, so
 * its state stays small enough for status however long the canary runs.
 *
 * @param noDataSince when the current run of empty results began; null when the last result was not empty
 */
public record GateTally(int taken, int passed, int failed, int noData, int consecutiveErrors,
    int consecutiveNoData, Instant noDataSince, Double lastValue, String lastError) {

  public static final GateTally EMPTY = new GateTally(0, 0, 0, 0, 0, 0, null, null, null);

  public static GateTally of(List<Measurement> measurements) {
    GateTally tally = EMPTY;
    for (Measurement m : measurements) {
      tally = tally.add(m);
    }
    return tally;
  }

  public GateTally add(Measurement m) {
    Outcome o = m.outcome();
    return new GateTally(taken + 1,
        passed + (o == Outcome.Successful ? 1 : 0),
        failed + (o == Outcome.Failed ? 1 : 0),
        noData + (o == Outcome.NoData ? 1 : 0),
        o == Outcome.Error ? consecutiveErrors + 1 : 0,
        o == Outcome.NoData ? consecutiveNoData + 1 : 0,
        o == Outcome.NoData ? (consecutiveNoData == 0 ? m.at() : noDataSince) : null,
        m.value() != null ? m.value() : lastValue,
        o == Outcome.Error ? m.error() : null);
  }
}
