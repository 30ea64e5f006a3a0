package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.AuditLog;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.StartsEarly;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator processes: one leads and reconciles; kill -9 it, or freeze it, and the other takes over within
 * the lease. A frozen leader that wakes up never writes again.
 */
@ExtendWith(ClusterExtension.class)
@StartsEarly
class LeaderElectionIT {

  static boolean reconciled(OperatorProcess operator, String app) {
    return operator.metrics().lines().anyMatch(l -> l.startsWith("operator_sdk_reconciliations_started_total")
        && l.contains("name=\"" + app + "\"") && !l.endsWith(" 0.0"));
  }

  /**
   * Waits until the class's operator holds the namespace's Lease. A standby of an earlier test, stopped, leaves the
   * Lease in its name until it expires, and a new standby of the same identity would simply renew it: the process
   * meant to lead would not, and freezing or killing it would prove nothing (seen once: the "frozen leader" was
   * never the leader, so it never had a lease to lose and did not exit).
   */
  static OperatorProcess leaderOf(TestNamespace ns) {
    OperatorProcess leader = OperatorProcess.of(ns);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      Lease lease = Cluster.client().leases().inNamespace("default").withName(ns.name()).get(); // out of a pod: default
      return lease != null && ns.name().equals(lease.getSpec().getHolderIdentity());
    });
    return leader;
  }

  @Test
  void theStandbyTakesOverWithinTheLeaseAndFinishesTheRollout(TestNamespace ns) {
    OperatorProcess leader = leaderOf(ns);
    OperatorProcess standby = new OperatorProcess(OperatorProcess.scopedTo(ns.name(), "it-standby"));
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

  @Test
  void aLeaderStoppedWithSigtermExitsPromptly(TestNamespace ns) {
    // JOSDK's exit-on-stop-leading calls System.exit from inside the shutdown that SIGTERM started, which
    // deadlocks the JVM: every operator upgrade would wait out the pod's grace period and then be SIGKILLed.
    // A Lease of its own: the class's operator may hold the namespace's.
    OperatorProcess operator = new OperatorProcess(Map.of("SLIPWAY_LEADER_ELECTION_LEASE_NAME", ns.name() + "-sigterm",
        "SLIPWAY_LEADER_ELECTION_IDENTITY", "sigterm", "QUARKUS_OPERATOR_SDK_NAMESPACES", ns.name()));
    try {
      operator.start();
      operator.signal("TERM");
      await().atMost(Duration.ofSeconds(10)).until(() -> !operator.isAlive());
    } finally {
      operator.kill();
    }
  }

  @Test
  void aFrozenLeaderIsReplacedDuringACanaryAndNeverWritesAgain(KubernetesClient client, TestNamespace ns)
      throws Exception {
    // The standby authenticates as its own ServiceAccount, so the audit log tells the two writers apart.
    client.serviceAccounts().inNamespace(ns.name()).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("standby").endMetadata().build()).create();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(ns.name() + "-standby").endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
        .addNewSubject().withKind("ServiceAccount").withName("standby").withNamespace(ns.name()).endSubject()
        .build()).serverSideApply();
    RolloutPolicy policy = client.getKubernetesSerialization().unmarshal("""
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: canary}
        spec:
          strategy: Canary
          canary:
            steps: [{setWeight: 25}, {pause: {duration: 25s}}, {setWeight: 50}, {pause: {duration: 2s}}, {setWeight: 100}]
        """, RolloutPolicy.class);
    client.resource(policy).inNamespace(ns.name()).create();

    OperatorProcess leader = leaderOf(ns);
    Map<String, String> standbyEnv = new HashMap<>(OperatorProcess.scopedTo(ns.name(), "it-standby"));
    standbyEnv.put("KUBECONFIG", Cluster.kubeconfigWithToken(Cluster.serviceAccountToken(ns.name(), "standby")).toString());
    OperatorProcess standby = new OperatorProcess(standbyEnv);
    standby.launch();
    try {
      standby.awaitAlive();
      WebApps apps = new WebApps(ns);
      WebApp app = WebApps.usingPolicy(WebApps.sample("django-celery.yaml", "frozen"), "canary");
      apps.create(app);
      String first = apps.awaitReady("frozen").getStatus().stableRevision;
      apps.edit("frozen", a -> {
        a.getSpec().image = "ghcr.io/example/shop:1.1.0";
        return a;
      });
      apps.await("frozen", Duration.ofSeconds(60), a -> a.getStatus().canary != null && a.getStatus().canary.step == 1);

      leader.signal("STOP");
      Instant frozen = Instant.now();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> reconciled(standby, "frozen"));
      Duration takeover = Duration.between(frozen, Instant.now());
      System.out.println("[leader-election] standby led " + takeover.toMillis() + " ms after the leader froze");
      assertThat(takeover).as("within the lease duration (10 s), a retry (2 s) and informer start-up").isLessThanOrEqualTo(Duration.ofSeconds(15));

      leader.signal("CONT");
      await().atMost(Duration.ofSeconds(20)).until(() -> !leader.isAlive());
      Path leaderLog = leader.setLogAside();
      WebApp done = apps.await("frozen", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
          && !first.equals(a.getStatus().stableRevision));
      assertThat(done.getStatus().canary.phase).isEqualTo("Promoted");
      assertThat(AuditLog.writes(AuditLog.OPERATOR_USER, ns.name(), frozen.plusMillis(500)))
          .as("the deposed leader wrote nothing after it froze; its log:\n" + Files.readString(leaderLog)).isEmpty();
      assertThat(AuditLog.writes("system:serviceaccount:" + ns.name() + ":standby", ns.name(), frozen))
          .as("the new leader finished the canary").isNotEmpty();
    } finally {
      standby.stop();
      leader.start();
      client.rbac().clusterRoleBindings().withName(ns.name() + "-standby").delete();
    }
  }
}
