package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two operator processes: one leads and reconciles; kill -9 it and the other takes over within the lease. */
@ExtendWith(ClusterExtension.class)
class LeaderElectionIT {

  static boolean reconciled(OperatorProcess operator, String app) {
    return operator.metrics().lines().anyMatch(l -> l.startsWith("operator_sdk_reconciliations_started_total")
        && l.contains("name=\"" + app + "\"") && !l.endsWith(" 0.0"));
  }

  @Test
  void theStandbyTakesOverWithinTheLeaseAndFinishesTheRollout(TestNamespace ns) {
    OperatorProcess leader = OperatorProcess.shared();
    OperatorProcess standby = new OperatorProcess(Map.of("SLIPWAY_LEADER_ELECTION_IDENTITY", "it-standby"));
    standby.launch();
    try {
      standby.awaitAlive();
      WebApps apps = new WebApps(ns);
      apps.create(WebApps.sample("django-celery.yaml", "ha"));
      String first = apps.awaitReady("ha").getStatus().stableRevision;
      assertThat(reconciled(leader, "ha")).as("the leader reconciles").isTrue();
      assertThat(reconciled(standby, "ha")).as("the standby does not").isFalse();

      leader.kill();
      Instant killed = Instant.now();
      apps.edit("ha", a -> {
        a.getSpec().image = "ghcr.io/example/shop:1.1.0";
        return a;
      });
      WebApp done = apps.await("ha", Duration.ofSeconds(60), a -> WebApps.isTrue(a, "Ready")
          && !first.equals(a.getStatus().stableRevision));
      Duration takeover = Duration.between(killed, Instant.now());
      System.out.println("[leader-election] standby finished the rollout " + takeover.toMillis()
          + " ms after the leader was killed");
      assertThat(takeover).isLessThan(Duration.ofSeconds(15 + 10));
      assertThat(reconciled(standby, "ha")).isTrue();
      assertThat(done.getStatus().history).hasSize(2);
    } finally {
      standby.stop();
      leader.start();
    }
  }
}
