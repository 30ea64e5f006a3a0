package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.chaos.Fuzz;
import dev.slipway.testing.OperatorProcess;
import org.junit.jupiter.api.Test;
import dev.slipway.testing.Locks;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * `make chaos`' bad-input fuzzing at the size `make test` affords: every document is rejected at admission
 * with a readable message or reconciled to a verdict, and the operator neither logs an error nor dies.
 */
@ResourceLock(value = Locks.SHARED_OPERATOR, mode = ResourceAccessMode.READ_WRITE)
class FuzzSmokeIT {
  @Test
  void everyDocumentIsRejectedReadablyOrReconciledToAVerdict() {
    // The campaign runs its own operator; the shared one must not reconcile its apps too.
    OperatorProcess shared = OperatorProcess.shared();
    shared.stop();
    Fuzz.Result result;
    try {
      result = new Fuzz(Integer.getInteger("fuzz.documents", 600), Long.getLong("fuzz.seed", System.nanoTime())).run();
    } finally {
      shared.start();
    }
    assertThat(result.findings()).isEmpty();
    assertThat(result.outcomes()).containsKeys("WebApp rejected at admission (422)", "WebApp admitted and Ready");
  }
}
