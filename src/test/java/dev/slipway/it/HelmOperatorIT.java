package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * `helm install` that really runs the operator: the image built here, loaded into the real node's runtime,
 * two operator pods on the real node as the chart's ServiceAccount in a namespace that enforces restricted Pod
 * Security, passing their probes, electing a leader through the apiserver reached as `kubernetes.default`.
 * They roll out a WebApp whose pods also run on the real node; the leader pod is killed mid-rollout and the
 * standby finishes it; `helm upgrade` to a new image rolls the operator during a rollout without losing it;
 * `helm uninstall` with crds.keep leaves the CRDs and the WebApps.
 */
@ExtendWith(ClusterExtension.class)
@Isolated("its operator runs cluster-wide at the end, and it hands the CRDs to a Helm release")
class HelmOperatorIT {
  static final String HELM = Commands.tool("helm");
  static final String KUBECTL = Commands.tool("kubectl");
  static final String CHART = Cluster.repo().resolve("helm/slipway").toString();
  static final String SYSTEM = "slipway-real-system";
  static final String RELEASE = "slipway";
  static final String REPOSITORY = "slipway.local/slipway";
  static final List<String> CRDS = List.of("webapps.slipway.dev", "rolloutpolicies.slipway.dev");

  @BeforeAll
  static void imagesOnTheNode() {
    for (String tag : List.of("it-1", "it-2")) {
      Commands.Result build = Commands.exec(List.of(Cluster.repo().resolve("hack/images.sh").toString(), "operator"),
          Map.of("IMAGE", REPOSITORY + ":" + tag, "BASES", "local"));
      assertThat(build.exit()).as("hack/images.sh operator:\n%s", build.output()).isZero();
      Commands.run(Cluster.repo().resolve("hack/cluster.sh").toString(), "load", REPOSITORY + ":" + tag);
    }
    Commands.run(Cluster.repo().resolve("hack/images.sh").toString(), "testapp");
    Commands.run(Cluster.repo().resolve("hack/cluster.sh").toString(), "load", RealNodeIT.IMAGE);
    Cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
  }

  @AfterAll
  static void cleanUp() {
    Commands.exec(List.of(HELM, "uninstall", RELEASE, "-n", SYSTEM, "--wait"));
    Cluster.client().namespaces().withName(SYSTEM).delete();
    // The CRDs stay (crds.keep); give them back to kubectl as the other ITs found them.
    for (String crd : CRDS) {
      Commands.exec(List.of(KUBECTL, "annotate", "crd", crd, "meta.helm.sh/release-name-",
          "meta.helm.sh/release-namespace-", "helm.sh/resource-policy-"));
      Commands.exec(List.of(KUBECTL, "label", "crd", crd, "app.kubernetes.io/managed-by-"));
    }
  }

  /** The chart's scheduling values place the operator on the real node, as an SRE would on a node pool. */
  static final String ON_THE_REAL_NODE = """
      image: {repository: %s, pullPolicy: Never}
      nodeSelector: {slipway.dev/real-node: "true"}
      tolerations: [{key: slipway.dev/real-node, operator: Exists, effect: NoSchedule}]
      podLabels: {slipway.dev/placed: real-node}
      """.formatted(REPOSITORY);

  static List<String> helm(String verb, String tag, String... sets) {
    java.nio.file.Path values;
    try {
      values = java.nio.file.Files.createTempFile("values", ".yaml");
      java.nio.file.Files.writeString(values, ON_THE_REAL_NODE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of(HELM, verb, RELEASE, CHART, "-n", SYSTEM,
        "-f", values.toString(), "--set", "image.tag=" + tag, "--wait", "--timeout", "3m"));
    for (String set : sets) {
      command.add("--set");
      command.add(set);
    }
    return command;
  }

  static List<Pod> operatorPods(KubernetesClient client) {
    return client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static String leader(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(SYSTEM).withName("slipway-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /**
   * A new revision whose pods become ready only about 10 s after they start (at the startup probe's second
   * poll), so that the rollout is still in flight while the test disturbs the operator.
   */
  static void release(WebApps apps, String version) {
    apps.edit("app", a -> {
      a.getSpec().web.env = new ArrayList<>(List.of(new EnvVar("VERSION", version, null),
          new EnvVar("READY_AFTER_SECONDS", "8", null)));
      return a;
    });
  }

  static WebApp awaitRolledOut(WebApps apps, String version) {
    return apps.await("app", Duration.ofMinutes(3), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().updateRevision.equals(a.getStatus().stableRevision)
        && a.getSpec().web.env.stream().anyMatch(e -> e.getValue().equals(version)));
  }

  @Test
  void theChartRunsTheOperatorOnARealNode(KubernetesClient client, TestNamespace ns) {
    // CRDs applied with kubectl, as the README's plain path leaves them: handed to the release as the
    // chart's own error message says, so that crds.keep is exercised on uninstall.
    for (String crd : CRDS) {
      Commands.run(KUBECTL, "annotate", "crd", crd, "meta.helm.sh/release-name=" + RELEASE,
          "meta.helm.sh/release-namespace=" + SYSTEM, "--overwrite");
      Commands.run(KUBECTL, "label", "crd", crd, "app.kubernetes.io/managed-by=Helm", "--overwrite");
    }
    Commands.run(helm("install", "it-1", "watchNamespaces={" + ns.name() + "}").toArray(String[]::new));

    List<Pod> pods = operatorPods(client);
    assertThat(pods).hasSize(2).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).isEqualTo(RealNodeIT.NODE);
      assertThat(p.getMetadata().getLabels()).containsEntry("slipway.dev/placed", "real-node");
      assertThat(p.getSpec().getServiceAccountName()).isEqualTo("slipway");
      assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).as("probes passed").isTrue();
      assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":it-1");
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> leader(client) != null
        && pods.stream().anyMatch(p -> p.getMetadata().getName().equals(leader(client))));

    WebApps apps = new WebApps(ns);
    apps.create(RealNodeIT.app("app", """
        web: {replicas: 2, health: {periodSeconds: 1, startupSeconds: 10}}
        """));
    apps.awaitReady("app");
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "app").list().getItems())
        .isNotEmpty().allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(RealNodeIT.NODE));

    // The leader dies mid-rollout: the standby takes the Lease and finishes it.
    String first = leader(client);
    release(apps, "v2");
    apps.await("app", Duration.ofSeconds(60), a -> !a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
    client.pods().inNamespace(SYSTEM).withName(first).withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> leader(client) != null && !first.equals(leader(client)));
    awaitRolledOut(apps, "v2");

    // helm upgrade to a new image during a rollout: the operator rolls itself and the app's rollout ends.
    List<String> before = operatorPods(client).stream().map(p -> p.getMetadata().getName()).toList();
    release(apps, "v3");
    Commands.run(helm("upgrade", "it-2", "watchNamespaces={" + ns.name() + "}").toArray(String[]::new));
    assertThat(operatorPods(client)).hasSize(2).allSatisfy(p -> {
      assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":it-2");
      assertThat(p.getMetadata().getName()).isNotIn(before);
    });
    awaitRolledOut(apps, "v3");

    // Cluster-wide RBAC mode: the same release, no watchNamespaces.
    Commands.run(helm("upgrade", "it-2").toArray(String[]::new));
    release(apps, "v4");
    awaitRolledOut(apps, "v4");
    assertThat(Commands.run(KUBECTL, "-n", SYSTEM, "logs", "deploy/slipway", "--all-containers"))
        .doesNotContain("Forbidden", "forbidden");

    Commands.run(HELM, "uninstall", RELEASE, "-n", SYSTEM, "--wait");
    assertThat(CRDS).allSatisfy(crd -> assertThat(client.apiextensions().v1().customResourceDefinitions()
        .withName(crd).get()).as("crds.keep").isNotNull());
    assertThat(apps.get("app")).as("the WebApp outlives the operator's release").isNotNull();
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("app-web").get()).isNotNull();
  }
}
