package dev.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorLogScanTest {
  static final String INTERRUPTED_RENEWAL = """
      14:17:02.267 WARN  [io.fa.ku.cl.ex.le.LeaderElector] (pool-10-thread-17) Exception occurred while acquiring lock
      \tat io.fabric8.kubernetes.client.KubernetesClientException.launderThrowable(KubernetesClientException.java:139)
      Caused by: java.io.InterruptedIOException
      \tat io.fabric8.kubernetes.client.dsl.internal.OperationSupport.waitForResult(OperationSupport.java:494)
      """;

  @Test
  void workCutShortByAStopIsExpectedButNothingElse(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("operator-1.log");
    Files.writeString(log, "14:17:02.200 INFO  [io.ja.op.Operator] (main) Operator SDK 5.1.5 is shutting down...\n"
        + INTERRUPTED_RENEWAL
        + "14:17:02.300 ERROR [de.sl.re.WebAppReconciler] (x) something broke\n");
    assertThat(OperatorProcess.unexpectedLines(log)).containsExactly(
        "operator-1.log: 14:17:02.300 ERROR [de.sl.re.WebAppReconciler] (x) something broke");
  }

  @Test
  void anInterruptionWhileRunningIsUnexpected(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("operator-1.log");
    Files.writeString(log, INTERRUPTED_RENEWAL);
    assertThat(OperatorProcess.unexpectedLines(log)).hasSize(2);
  }

  @Test
  void aLeaseRenewalRetriedAfterADroppedConnectionIsNoFault(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("operator-1.log");
    Files.writeString(log, """
        14:24:06.808 WARN  [io.fa.ku.cl.ex.le.LeaderElector] (pool-10-thread-1) Exception occurred while acquiring lock 'LeaseLock: default - slipway-fuzz (fuzz) retrying...': io.fabric8.kubernetes.client.KubernetesClientException: Connection was closed
        \tat io.fabric8.kubernetes.client.KubernetesClientException.launderThrowable(KubernetesClientException.java:139)
        Caused by: io.vertx.core.http.HttpClosedException: Connection was closed
        14:24:07.000 WARN  [io.fa.ku.cl.ex.le.LeaderElector] (pool-10-thread-1) Exception occurred while acquiring lock 'LeaseLock: default - x (y) retrying...': io.fabric8.kubernetes.client.KubernetesClientException: Forbidden
        \tat io.fabric8.kubernetes.client.KubernetesClientException.launderThrowable(KubernetesClientException.java:139)
        """);
    assertThat(OperatorProcess.unexpectedLines(log)).as("only the refusal").hasSize(1);
  }
}
