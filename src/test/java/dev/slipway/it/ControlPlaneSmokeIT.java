package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.PodStates;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.Tracker;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the control plane is real: the Deployment controller, kwok's kubelets and admission. */
@ExtendWith(ClusterExtension.class)
class ControlPlaneSmokeIT {

  static Deployment deployment(String name, int replicas, String image, Map<String, String> podLabels) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(Map.of("app", name)).addToLabels(podLabels).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
          .endTemplate()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withNewMaxSurge(1).withNewMaxUnavailable(1).endRollingUpdate()
          .endStrategy()
          .withProgressDeadlineSeconds(10)
        .endSpec()
        .build();
  }

  @Test
  void deploymentBecomesAvailable(KubernetesClient client, TestNamespace ns) {
    client.apps().deployments().inNamespace(ns.name()).resource(deployment("four", 4, "example/app:1", Map.of()))
        .create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Deployment d = client.apps().deployments().inNamespace(ns.name()).withName("four").get();
      assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(4);
      assertThat(d.getStatus().getConditions())
          .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }

  @Test
  void rollingUpdateNeverExceedsReplicasPlusSurge(KubernetesClient client, TestNamespace ns) {
    var deployments = client.apps().deployments().inNamespace(ns.name());
    deployments.resource(deployment("surge", 4, "example/app:1", Map.of())).create();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        Integer.valueOf(4).equals(deployments.withName("surge").get().getStatus().getAvailableReplicas()));

    try (Tracker<Pod> pods = Tracker.pods(ns.name(), Map.of("app", "surge"));
        Tracker<ReplicaSet> replicaSets = Tracker.replicaSets(ns.name(), Map.of("app", "surge"))) {
      deployments.withName("surge").edit(d -> {
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/app:2");
        return d;
      });
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        Deployment d = deployments.withName("surge").get();
        return d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
            && Integer.valueOf(4).equals(d.getStatus().getUpdatedReplicas())
            && Integer.valueOf(4).equals(d.getStatus().getAvailableReplicas())
            && Integer.valueOf(4).equals(d.getStatus().getReplicas());
      });
      assertThat(pods.observations()).as("pod events seen during the update").isGreaterThan(8);
      // Surge bounds what the ReplicaSets ask for. Pods can briefly exceed it: an old ReplicaSet's pod is
      // deleted by its own controller a moment after the Deployment controller scaled that set down.
      assertThat(replicaSets.maxOf(Tracker::specReplicas)).as("replicas asked at once").isLessThanOrEqualTo(4 + 1);
      assertThat(pods.min(PodStates::ready)).as("ready pods at once").isGreaterThanOrEqualTo(4 - 1);
    }
  }

  @Test
  void notReadyPodsExceedTheProgressDeadline(KubernetesClient client, TestNamespace ns) {
    client.apps().deployments().inNamespace(ns.name())
        .resource(deployment("stuck", 2, "example/app:1", Map.of("slipway.dev/test-not-ready", "true"))).create();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      Deployment d = client.apps().deployments().inNamespace(ns.name()).withName("stuck").get();
      assertThat(d.getStatus().getConditions()).anyMatch(c -> "Progressing".equals(c.getType())
          && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason()));
    });
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "stuck").list().getItems())
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"))
        .noneMatch(PodStates::ready);
  }

  @Test
  void crashLabelMakesRestartsGrow(KubernetesClient client, TestNamespace ns) {
    client.apps().deployments().inNamespace(ns.name())
        .resource(deployment("crash", 1, "example/app:1", Map.of("slipway.dev/test-crash", "true"))).create();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "crash").list().getItems())
            .singleElement()
            .satisfies(p -> {
              assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isGreaterThanOrEqualTo(3);
              assertThat(PodStates.ready(p)).isFalse();
            }));
  }

  @Test
  void restrictedPodSecurityRejectsAPrivilegedPod(KubernetesClient client, TestNamespace ns) {
    String restricted = ns.name() + "-restricted";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(restricted)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
    try {
      var pod = new PodBuilder()
          .withNewMetadata().withName("privileged").endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage("example/app:1")
            .withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer().endSpec()
          .build();
      assertThatThrownBy(() -> client.pods().inNamespace(restricted).resource(pod).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
          .hasMessageContaining("privileged");
    } finally {
      client.namespaces().withName(restricted).delete();
    }
  }
}
