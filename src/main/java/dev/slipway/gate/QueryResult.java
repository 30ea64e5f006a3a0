package dev.slipway.gate;

/** What a metrics query returned: a number, nothing, or an error. */
public sealed interface QueryResult {
  record Value(double value) implements QueryResult {}

  record Empty() implements QueryResult {}

  record Failure(String message) implements QueryResult {}
}
