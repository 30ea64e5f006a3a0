package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.bench.Bench;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `make bench` at a tiny size, so the benchmark keeps working; its figures are not judged here, so it runs
 * beside other classes (it asserts only what its own namespace's audit log and its operator count).
 */
class BenchSmokeIT {
  @Test
  void theBenchmarkRunsEndToEnd() throws Exception {
    // The benchmark runs its own operator, watching only its namespace.
    Map<String, Object> results = new Bench(10, 5, 5, 1).run();
    assertThat(results).containsKeys("scale.allReadySeconds", "scale.rssMiB", "steady.writesPerSecond",
        "latency.p99Millis", "canary.stepOverheadMillis", "abort.p99Millis", "economy.rollingWritesPerWorkload");
    // The operator's own count of its writes and the apiserver's audit log agree (a write in flight at the
    // instant the count is read may be in one and not yet in the other).
    assertThat((Double) results.get("rollouts.writesCountedByOperator"))
        .isCloseTo(((Long) results.get("rollouts.writesAudited")).doubleValue(), org.assertj.core.data.Offset.offset(1.0))
        .isPositive();
    assertThat((Double) results.get("steady.writesCountedByOperator"))
        .isCloseTo(((Long) results.get("steady.writesAudited")).doubleValue(), org.assertj.core.data.Offset.offset(1.0));
  }
}
