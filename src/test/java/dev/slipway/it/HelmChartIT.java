package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.slipway.api.v1alpha1.ExecHealth;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.cli.PluginRun;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart: lint, both RBAC modes rendered, installed into the real control plane, and the operator run as
 * the chart's ServiceAccount (here as a local process with that identity's token, watched closely for
 * Forbidden; HelmOperatorIT runs the chart's own pods on the real node) — the RBAC is enough to take the
 * django-celery sample to Ready, and no more than enough.
 */
@ExtendWith(ClusterExtension.class)
class HelmChartIT {
  static final String HELM = Commands.tool("helm");
  static final String KUBECTL = Commands.tool("kubectl");
  static final String CHART = Cluster.repo().resolve("helm/slipway").toString();
  static final String SYSTEM = "slipway-it-system";
  static final String SA = "system:serviceaccount:" + SYSTEM + ":slipway";

  @BeforeAll
  static void namespace() {
    // The operator's own pods must pass restricted Pod Security.
    Cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
  }

  @AfterAll
  static void uninstall() {
    Commands.exec(List.of(HELM, "uninstall", "slipway", "-n", SYSTEM, "--wait"));
    Commands.exec(List.of(HELM, "uninstall", "slipway-cluster", "-n", SYSTEM, "--wait"));
  }

  static List<HasMetadata> render(String... sets) {
    List<String> command = new java.util.ArrayList<>(List.of(HELM, "template", "slipway", CHART, "-n", SYSTEM));
    for (String set : sets) {
      command.add("--set");
      command.add(set);
    }
    String yaml = Commands.run(command.toArray(String[]::new));
    return Cluster.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  static List<PolicyRule> rules(List<HasMetadata> objects) {
    return objects.stream().flatMap(o -> o instanceof ClusterRole c ? c.getRules().stream()
        : o instanceof Role r ? r.getRules().stream() : java.util.stream.Stream.empty()).toList();
  }

  /** `kubectl auth can-i` as the chart's ServiceAccount; `resource/sub` asks about a subresource. */
  static boolean can(String as, String verb, String resource, String... scope) {
    String[] parts = resource.split("/", 2);
    List<String> command = new java.util.ArrayList<>(List.of(KUBECTL, "auth", "can-i", verb, parts[0], "--as", as));
    if (parts.length == 2) {
      command.add("--subresource=" + parts[1]);
    }
    command.addAll(List.of(scope));
    return Commands.exec(command).output().trim().equals("yes");
  }

  static boolean chartCan(String verb, String resource, String... scope) {
    return can(SA, verb, resource, scope);
  }

  @Test
  void lintsAndRendersBothRbacModesWithoutSecrets() {
    Commands.run(HELM, "lint", CHART, "--strict");
    List<HasMetadata> cluster = render();
    assertThat(cluster).extracting(HasMetadata::getKind).contains("ClusterRole", "ClusterRoleBinding", "Deployment",
        "ServiceAccount", "PodDisruptionBudget", "Service", "CustomResourceDefinition");
    List<HasMetadata> namespaced = render("watchNamespaces={shop,billing}");
    assertThat(namespaced).extracting(HasMetadata::getKind).doesNotContain("ClusterRoleBinding");
    assertThat(namespaced).filteredOn(o -> o.getKind().equals("ClusterRole")).as("only the roles aggregated into "
        + "view/edit/admin, which bind no one").extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("slipway-view", "slipway-edit");
    assertThat(render("watchNamespaces={shop}", "rbac.aggregateToDefaultRoles=false"))
        .extracting(HasMetadata::getKind).doesNotContain("ClusterRole");
    assertThat(namespaced).filteredOn(o -> o.getKind().equals("Role")).extracting(o -> o.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "billing", SYSTEM);
    for (List<HasMetadata> mode : List.of(cluster, namespaced)) {
      assertThat(rules(mode)).as("no access to Secrets, no wildcards").allSatisfy(rule -> {
        assertThat(rule.getResources()).doesNotContain("secrets", "*");
        assertThat(rule.getVerbs()).doesNotContain("*");
      });
    }
    assertThat(rules(render("gates.readSecrets=true"))).as("gate credentials: get by name, never list or watch")
        .filteredOn(rule -> rule.getResources().contains("secrets")).singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("get"));
    assertThat(render("crds.keep=true")).filteredOn(o -> o.getKind().equals("CustomResourceDefinition"))
        .hasSize(2).allSatisfy(crd -> assertThat(crd.getMetadata().getAnnotations())
            .containsEntry("helm.sh/resource-policy", "keep"));
    assertThat(render("crds.install=false")).extracting(HasMetadata::getKind).doesNotContain("CustomResourceDefinition");
  }

  @Test
  void aWrongValueFailsWithAMessage() {
    Commands.Result r = Commands.exec(List.of(HELM, "template", "slipway", CHART, "--set", "replicaCount=0"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("replicaCount").contains("minimum");
    Commands.Result latest = Commands.exec(List.of(HELM, "template", "slipway", CHART, "--set", "image.tag=latest"));
    assertThat(latest.exit()).isNotZero();
    assertThat(latest.output()).contains("image/tag");
  }

  /**
   * The README's two install paths mixed: the CRDs here were applied with kubectl (no release owns them), so a
   * plain `helm install` must stop before it changes anything and say both ways on, not Helm's bare
   * "invalid ownership metadata".
   */
  @Test
  void installingOverCrdsAppliedWithKubectlSaysWhatToDo() {
    Commands.Result install = Commands.exec(List.of(HELM, "install", "slipway-crds", CHART, "-n", SYSTEM));
    assertThat(install.exit()).isNotZero();
    assertThat(install.output())
        .contains("The CRD rolloutpolicies.slipway.dev already exists and does not belong to the release "
            + SYSTEM + "/slipway-crds")
        .contains("--set crds.install=false")
        .contains("kubectl annotate crd rolloutpolicies.slipway.dev webapps.slipway.dev "
            + "meta.helm.sh/release-name=slipway-crds meta.helm.sh/release-namespace=" + SYSTEM + " --overwrite")
        .contains("kubectl label crd rolloutpolicies.slipway.dev webapps.slipway.dev app.kubernetes.io/managed-by=Helm")
        .doesNotContain("invalid ownership metadata");
    assertThat(Commands.exec(List.of(HELM, "status", "slipway-crds", "-n", SYSTEM)).exit())
        .as("no release was recorded").isNotZero();
  }

  @Test
  void thePlainKubectlManifestIsTheRenderedChart() throws IOException {
    String rendered = Commands.run(Cluster.repo().resolve("hack/render-deploy.sh").toString());
    assertThat(Files.readString(Cluster.repo().resolve("deploy/slipway.yaml")))
        .as("deploy/slipway.yaml is stale: run `make deploy-manifest`").isEqualTo(rendered);
  }

  /** The GitOps examples' values pass the chart's schema and render. */
  @Test
  void theGitOpsExamplesValuesAreValid() throws IOException {
    Path dir = Cluster.repo().resolve("samples/gitops");
    Map<String, String> valuesAt = Map.of("flux-helmrelease.yaml", "/spec/values",
        "argocd-application.yaml", "/spec/source/helm/valuesObject");
    for (Map.Entry<String, String> e : valuesAt.entrySet()) {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
      var docs = mapper.readerFor(com.fasterxml.jackson.databind.JsonNode.class)
          .<com.fasterxml.jackson.databind.JsonNode>readValues(dir.resolve(e.getKey()).toFile()).readAll();
      var values = docs.stream().map(d -> d.at(e.getValue())).filter(v -> !v.isMissingNode()).findFirst().orElseThrow();
      Path file = writeTemp(mapper.writeValueAsString(values));
      Commands.run(HELM, "template", "slipway", CHART, "-n", SYSTEM, "-f", file.toString());
    }
  }

  /**
   * What a platform team overrides: OpenShift assigns UIDs (runAsUser/runAsGroup null), a proxy and a CA for a
   * hosted Prometheus, its own names. The pod still passes `restricted` Pod Security on the apiserver.
   */
  @Test
  void securityContextsExtrasAndNamesAreOverridable() {
    String[] sets = {"fullnameOverride=ops", "podSecurityContext.runAsUser=null", "podSecurityContext.runAsGroup=null",
        "extraEnv[0].name=HTTPS_PROXY", "extraEnv[0].value=http://proxy.internal:3128",
        "extraVolumes[0].name=prometheus-ca", "extraVolumes[0].secret.secretName=prometheus-ca",
        "extraVolumeMounts[0].name=prometheus-ca", "extraVolumeMounts[0].mountPath=/etc/prometheus-ca"};
    List<HasMetadata> objects = render(sets);
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow();
    assertThat(deployment.getMetadata().getName()).isEqualTo("ops");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("ops");
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container operator = pod.getContainers().get(0);
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("HTTPS_PROXY");
      assertThat(e.getValue()).isEqualTo("http://proxy.internal:3128");
    });
    assertThat(operator.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp", "/etc/prometheus-ca");
    assertThat(pod.getVolumes()).extracting(Volume::getName).contains("tmp", "prometheus-ca");

    List<String> command = new java.util.ArrayList<>(List.of(HELM, "template", "slipway", CHART, "-n", SYSTEM));
    for (String set : sets) {
      command.addAll(List.of("--set", set));
    }
    Commands.run(KUBECTL, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-n", SYSTEM, "-f",
        writeTemp(Commands.run(command.toArray(String[]::new))).toString());
    Commands.Result badName = Commands.exec(List.of(HELM, "template", "slipway", CHART, "--set", "nameOverride=Ops"));
    assertThat(badName.exit()).isNotZero();
    assertThat(badName.output()).contains("nameOverride");
  }

  @Test
  void theRenderedCrdsAndOperatorPodPassTheApiserver() {
    String yaml = Commands.run(HELM, "template", "slipway", CHART, "-n", SYSTEM);
    Path file = writeTemp(yaml);
    // Server-side dry run: schema, admission (restricted Pod Security on a labelled namespace below) and CRDs.
    Commands.run(KUBECTL, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-n", SYSTEM, "-f",
        file.toString());
  }

  @Test
  void theChartsServiceAccountCanRunTheSampleAndNoMore(KubernetesClient client, TestNamespace ns) throws Exception {
    Commands.run(HELM, "upgrade", "--install", "slipway", CHART, "-n", SYSTEM, "--set", "crds.install=false",
        "--set", "watchNamespaces={" + ns.name() + "}", "--wait=false");
    Commands.run(HELM, "upgrade", "--install", "slipway-cluster", CHART, "-n", SYSTEM, "--set", "crds.install=false",
        "--set", "serviceAccount.name=slipway-cluster", "--set", "podDisruptionBudget.enabled=false",
        "--set", "replicaCount=1", "--wait=false");
    // kwok plays the kubelet: the pods exist, so restricted Pod Security admitted them.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> client.pods()
        .inNamespace(SYSTEM).withLabel("app.kubernetes.io/instance", "slipway").list().getItems().size() == 2);

    // Namespaced mode: exactly the watched namespace.
    assertThat(chartCan("list", "secrets", "-A")).as("no cluster-wide read of Secrets").isFalse();
    assertThat(chartCan("get", "secrets", "-n", ns.name())).as("no Secrets at all").isFalse();
    assertThat(chartCan("patch", "deployments", "-n", ns.name())).isTrue();
    assertThat(chartCan("patch", "deployments/scale", "-n", ns.name())).isTrue();
    assertThat(chartCan("patch", "webapps.slipway.dev/status", "-n", ns.name())).isTrue();
    assertThat(chartCan("update", "webapps.slipway.dev", "-n", ns.name())).as("never edits a spec").isFalse();
    assertThat(chartCan("update", "webapps.slipway.dev/finalizers", "-n", ns.name()))
        .as("blockOwnerDeletion on what it generates (OwnerReferencesPermissionEnforcement)").isTrue();
    assertThat(chartCan("patch", "httproutes.gateway.networking.k8s.io", "-n", ns.name())).isTrue();
    assertThat(chartCan("create", "httproutes.gateway.networking.k8s.io", "-n", ns.name()))
        .as("weighs a user's route, never makes one").isFalse();
    assertThat(chartCan("create", "deployments", "-n", "default")).as("outside watchNamespaces").isFalse();
    assertThat(chartCan("list", "webapps.slipway.dev", "-A")).isFalse();
    assertThat(chartCan("update", "leases.coordination.k8s.io", "-n", SYSTEM)).isTrue();
    assertThat(chartCan("update", "leases.coordination.k8s.io", "-n", ns.name())).isFalse();
    // Cluster mode: everywhere, still no Secrets.
    String clusterSa = "system:serviceaccount:" + SYSTEM + ":slipway-cluster";
    assertThat(can(clusterSa, "list", "webapps.slipway.dev", "-A")).isTrue();
    assertThat(can(clusterSa, "list", "secrets", "-A")).isFalse();

    // The operator as the chart's ServiceAccount (a TokenRequest token), watching only the test namespace.
    Path kubeconfig = Cluster.kubeconfigWithToken(Cluster.serviceAccountToken(SYSTEM, "slipway"));
    OperatorProcess asChart = new OperatorProcess(Map.of("KUBECONFIG", kubeconfig.toString(),
        "POD_NAMESPACE", SYSTEM, "QUARKUS_OPERATOR_SDK_NAMESPACES", ns.name()));
    try {
      asChart.start();
      WebApps apps = new WebApps(ns);
      apps.create(WebApps.sample("django-celery.yaml"));
      assertThat(apps.awaitReady("shop").getStatus().phase).isEqualTo("Healthy");
      apps.edit("shop", a -> {
        a.getSpec().image = "ghcr.io/example/shop:1.1.0";
        return a;
      });
      apps.await("shop", Cluster.TIMEOUT, a -> WebApps.isTrue(a, "Ready")
          && a.getStatus().updateRevision.equals(a.getStatus().stableRevision)
          && a.getStatus().history.size() == 2);
      assertThat(asChart.tail(2000)).doesNotContain("Forbidden", "forbidden");
    } finally {
      asChart.stop();
    }
  }

  /**
   * Developers hold the built-in namespace roles: with `view` they see WebApps and policies, with `edit` (and
   * `admin`) they ship and steer them, through the chart's ClusterRoles aggregated into those roles.
   */
  @Test
  void developersWithTheBuiltInRolesSeeAndSteerWebApps(KubernetesClient client, TestNamespace ns) {
    Commands.run(HELM, "upgrade", "--install", "slipway", CHART, "-n", SYSTEM, "--set", "crds.install=false",
        "--set", "watchNamespaces={" + ns.name() + "}", "--wait=false");
    for (String role : List.of("view", "edit", "admin")) {
      client.rbac().roleBindings().inNamespace(ns.name()).resource(new io.fabric8.kubernetes.api.model.rbac
          .RoleBindingBuilder().withNewMetadata().withName("developer-" + role).endMetadata()
          .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
          .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("dev-" + role)
          .endSubject().build()).create();
    }
    // The controller-manager's aggregation controller copies the rules into the built-in roles.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> can("dev-edit", "patch", "webapps.slipway.dev", "-n", ns.name()));
    assertThat(can("dev-view", "list", "webapps.slipway.dev", "-n", ns.name())).isTrue();
    assertThat(can("dev-view", "get", "rolloutpolicies.slipway.dev", "-n", ns.name())).isTrue();
    assertThat(can("dev-view", "patch", "webapps.slipway.dev", "-n", ns.name())).as("view only looks").isFalse();
    assertThat(can("dev-edit", "create", "rolloutpolicies.slipway.dev", "-n", ns.name())).isTrue();
    assertThat(can("dev-admin", "delete", "webapps.slipway.dev", "-n", ns.name())).isTrue();
    assertThat(can("dev-edit", "patch", "webapps.slipway.dev/status", "-n", ns.name()))
        .as("status is the operator's").isFalse();
    assertThat(can("dev-edit", "list", "webapps.slipway.dev", "-n", "default")).as("only where bound").isFalse();

    // kubectl slipway as each developer (--as, as with kubectl): edit steers a canary here, nowhere else; view
    // only looks.
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: canary}
        spec: {strategy: Canary, canary: {steps: [{setWeight: 50}, {pause: {}}]}}
        """, dev.slipway.api.v1alpha1.RolloutPolicy.class)).inNamespace(ns.name()).create();
    new WebApps(ns).create(WebApps.usingPolicy(WebApps.sample("django-celery.yaml", "steered"), "canary"));
    PluginRun edit = PluginRun.run("promote", "steered", "-n", ns.name(), "--as", "dev-edit", "--timeout", "1s");
    assertThat(edit.exit()).as("written (acknowledged, or exit 4 where no operator acknowledges): %s", edit.err())
        .isIn(0, 4);
    assertThat(new WebApps(ns).get("steered").getMetadata().getAnnotations())
        .hasEntrySatisfying("slipway.dev/control", value -> assertThat(value).startsWith("promote:"));
    PluginRun view = PluginRun.run("promote", "steered", "-n", ns.name(), "--as", "dev-view", "--timeout", "1s");
    assertThat(view.exit()).isEqualTo(3);
    assertThat(view.err()).contains("no permission: cannot patch webapps in namespace " + ns.name());
    PluginRun elsewhere = PluginRun.run("promote", "steered", "-n", "default", "--as", "dev-edit", "--timeout", "1s");
    assertThat(elsewhere.exit()).isEqualTo(3);
    assertThat(elsewhere.err()).contains("no permission: cannot get webapps in namespace default");
  }

  /**
   * The chart's admission policy refuses a worker probe that names $(VAR) the kubelet leaves as text (the probe
   * would never pass), and says what to change; what the kubelet expands, an escaped `$$(VAR)` and the samples
   * pass; an app stored before the policy still takes metadata writes (the operator's), not a new spec. Bound
   * here to this class's namespace only, so the classes running beside it are not judged by it; the chart's own
   * binding (checked below to be that one, cluster-wide) is installed by HelmOperatorIT's `helm install`.
   */
  @Test
  void admissionRefusesWorkerProbesTheKubeletWouldNeverExpand(KubernetesClient client, TestNamespace ns) {
    List<HasMetadata> admission = Cluster.client().load(new ByteArrayInputStream(Commands.run(HELM, "template",
        "slipway", CHART, "-n", SYSTEM, "--show-only", "templates/admission.yaml").getBytes(StandardCharsets.UTF_8)))
        .items();
    assertThat(admission).extracting(HasMetadata::getKind)
        .containsExactly("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    var policy = (ValidatingAdmissionPolicy) admission.get(0);
    var chartBinding = (ValidatingAdmissionPolicyBinding) admission.get(1);
    assertThat(chartBinding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(chartBinding.getSpec().getMatchResources()).as("every namespace").isNull();
    assertThat(render("crds.install=false")).extracting(HasMetadata::getKind)
        .doesNotContain("ValidatingAdmissionPolicy");

    WebApps apps = new WebApps(ns);
    WebApp storedBefore = apps.create(withWorkerProbe(WebApps.sample("django-celery.yaml", "before"),
        List.of("celery", "inspect", "ping", "-d", "celery@$(HOSTNAME)"), List.of()));
    var binding = new ValidatingAdmissionPolicyBindingBuilder()
        .withNewMetadata().withName(policy.getMetadata().getName() + "-" + ns.name()).endMetadata()
        .withSpec(chartBinding.getSpec()).editSpec().withNewMatchResources().withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", ns.name()).endNamespaceSelector().endMatchResources()
        .endSpec().build();
    client.resource(policy).serverSideApply();
    client.resource(binding).serverSideApply();
    try {
      WebApp hostname = withWorkerProbe(WebApps.sample("django-celery.yaml", "hostname"),
          List.of("celery", "inspect", "ping", "-d", "celery@$(HOSTNAME)"), List.of());
      // The apiserver compiles a new policy and binding within a moment.
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(catchThrowable(() -> apps.create(hostname)))
              .isInstanceOf(KubernetesClientException.class)
              .hasMessageContaining("celery: $(HOSTNAME)")
              .hasMessageContaining("Let a shell expand them: [sh, -c, '... $VAR ...']"));
      // A shared variable from a Secret is no plain value either; one the worker sets itself is.
      WebApp fromSecret = withWorkerProbe(WebApps.sample("django-celery.yaml", "secret"),
          List.of("check", "--queue=$(QUEUE)", "--token=$(TOKEN)", "$$(LITERAL)"),
          List.of(new EnvVarBuilder().withName("QUEUE").withValue("mail").build()));
      fromSecret.getSpec().env.add(new EnvVarBuilder().withName("TOKEN")
          .withNewValueFrom().withNewSecretKeyRef("token", "shop", false).endValueFrom().build());
      assertThat(catchThrowable(() -> apps.create(fromSecret)))
          .hasMessageContaining("(celery: $(TOKEN))");
      fromSecret.getSpec().env.get(fromSecret.getSpec().env.size() - 1).setValueFrom(null);
      fromSecret.getSpec().env.get(fromSecret.getSpec().env.size() - 1).setValue("t");
      apps.create(fromSecret);
      for (String sample : List.of("django-celery.yaml", "django-celery-canary.yaml",
          "django-celery-bluegreen.yaml")) {
        // Admission runs on a server-side dry run too.
        Commands.run(KUBECTL, "apply", "--dry-run=server", "-n", ns.name(), "-f",
            WebApps.samples().resolve(sample).toString());
      }
      // Merge patches, unlocked: an operator may write the app at the same time.
      var before = client.resources(WebApp.class).inNamespace(ns.name()).withName(storedBefore.getMetadata().getName());
      var merge = PatchContext.of(PatchType.JSON_MERGE);
      before.patch(merge, "{\"metadata\": {\"labels\": {\"team\": \"shop\"}}}");
      assertThat(catchThrowable(() -> before.patch(merge, "{\"spec\": {\"image\": \"shop:2\"}}")))
          .as("a new spec is judged").hasMessageContaining("celery: $(HOSTNAME)");
    } finally {
      client.resource(binding).delete();
      client.resource(policy).delete();
    }
  }

  static WebApp withWorkerProbe(WebApp app, List<String> exec, List<EnvVar> env) {
    var worker = app.getSpec().workers.get(0);
    worker.health = new ExecHealth();
    worker.health.exec = exec;
    worker.env = env.isEmpty() ? null : new ArrayList<>(env);
    return app;
  }

  static Path writeTemp(String content) {
    try {
      Path file = Files.createTempFile("slipway-helm", ".yaml");
      Files.writeString(file, content);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
