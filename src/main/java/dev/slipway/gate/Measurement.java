package dev.slipway.gate;

import java.math.BigDecimal;
import java.math.MathContext;
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

  /**
   * A value as people read it, to four significant digits: 0.0183, 412.5, 12350 — not 0.018298151958597738.
   * Status keeps the exact value; messages, events and the plugin show this.
   */
  public static String readable(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

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
