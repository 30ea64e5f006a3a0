package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.chaos.Chaos;
import dev.slipway.chaos.Chaos.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * `make chaos` at the size `make test` affords: 20 rollouts (2 rolling and 2 canary apps × 5 rounds) with the
 * operator killed at random instants and between writes, one failover to the standby, one kube-apiserver and one
 * etcd restart. Any broken invariant, unconverged rollout, duplicate or orphan fails it.
 */
@Isolated("it restarts etcd and the apiserver under every other test")
class ChaosSmokeIT {
  @Test
  void rolloutsSurviveKillsFailoversAndControlPlaneRestarts() throws Exception {
    // The campaign runs its own pair of operators, watching only its namespace.
    Chaos.Result result = new Chaos(4, 5, 1, true, Long.getLong("chaos.seed", System.nanoTime())).run();
    assertThat(result.findings()).isEmpty();
    assertThat(result.faults()).containsKeys(Fault.KILL, Fault.FAILOVER, Fault.APISERVER_RESTART, Fault.ETCD_RESTART);
    assertThat(result.outcomes()).containsEntry("rolling rollouts converged", 10)
        .containsEntry("canary rollouts converged", 10)
        .containsEntry("apps that ended exactly as an undisturbed app", 4);
  }
}
