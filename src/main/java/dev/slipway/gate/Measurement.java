package dev.slipway.gate;

import java.time.Instant;

/**
 * One query of a gate and what it said.
 *
 * @param value the query's value; null for an error or no data
 * @param error why the query failed (Prometheus unreachable, bad query); null otherwise
 */
public record Measurement(Instant at, Outcome outcome, Double value, String error) {

  /** What one measurement says on its own. */
  public enum Outcome { Successful, Failed, NoData, Error }

  public static Measurement of(Instant at, QueryResult result, GateCondition condition) {
    if (result instanceof QueryResult.Value v) {
      return new Measurement(at, condition.test(v.value()) ? Outcome.Successful : Outcome.Failed, v.value(), null);
    }
    if (result instanceof QueryResult.Failure f) {
      return new Measurement(at, Outcome.Error, null, f.message());
    }
    return new Measurement(at, Outcome.NoData, null, null);
  }
}
