package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.chaos.Fuzz;
import dev.slipway.testing.StartsEarly;
import org.junit.jupiter.api.Test;

/**
 * `make chaos`' bad-input fuzzing at the size `make test` affords: every document is rejected at admission
 * with a readable message or reconciled to a verdict, and the operator neither logs an error nor dies.
 */
@StartsEarly
class FuzzSmokeIT {
  @Test
  void everyDocumentIsRejectedReadablyOrReconciledToAVerdict() {
    // The campaign runs its own operator, watching only its namespace.
    Fuzz.Result result = new Fuzz(Integer.getInteger("fuzz.documents", 600), Long.getLong("fuzz.seed", System.nanoTime()))
        .run();
    assertThat(result.findings()).isEmpty();
    assertThat(result.outcomes()).containsKeys("WebApp rejected at admission (422)", "WebApp admitted and Ready");
  }
}
