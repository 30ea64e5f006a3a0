package dev.slipway.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Only one operator replica reconciles: the holder of a Lease. A standby takes over within the lease
 * duration when the leader dies; a leader that cannot renew stops (the process exits) rather than risk
 * two writers.
 */
public class LeaderElection {

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "slipway.leader-election.lease-name", defaultValue = "slipway-operator") String lease,
      @ConfigProperty(name = "slipway.leader-election.namespace") Optional<String> namespace,
      @ConfigProperty(name = "slipway.leader-election.identity") Optional<String> identity,
      @ConfigProperty(name = "slipway.leader-election.lease-duration", defaultValue = "10s") Duration leaseDuration,
      @ConfigProperty(name = "slipway.leader-election.renew-deadline", defaultValue = "7s") Duration renewDeadline,
      @ConfigProperty(name = "slipway.leader-election.retry-period", defaultValue = "2s") Duration retryPeriod) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease)
        // In a pod the chart passes POD_NAMESPACE; out of cluster (make run, tests) the Lease lives in default.
        .withLeaseNamespace(namespace.or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE"))).orElse("default"))
        // The pod name: a restarted container leads again at once; another replica waits for the lease.
        .withIdentity(identity.or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
            .orElseGet(() -> UUID.randomUUID().toString()))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(renewDeadline)
        .withRetryPeriod(retryPeriod)
        .withExitOnStopLeading(true)
        .build();
  }
}
