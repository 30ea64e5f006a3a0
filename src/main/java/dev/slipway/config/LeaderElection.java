package dev.slipway.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Only one operator replica reconciles: the holder of a Lease. A standby takes over within the lease
 * duration when the leader dies; a leader that cannot renew stops (the process exits) rather than risk
 * two writers.
 */
public class LeaderElection {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

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
        // Not JOSDK's System.exit: called from our own shutdown (SIGTERM, a failed start) it deadlocks the JVM
        // in Shutdown.exit — seen as an operator that said "Exiting" and never did.
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(() -> {}, LeaderElection::haltUnlessShuttingDown, leader -> {}))
        .build();
  }

  /** A deposed leader stops at once, before it can write again; one that is shutting down just carries on. */
  static void haltUnlessShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
    } catch (IllegalStateException shuttingDown) {
      return;
    }
    LOG.warn("lost the Lease: halting so that only the new leader writes");
    Runtime.getRuntime().halt(1);
  }
}
