package dev.slipway.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the CRD generator cannot say from annotations, applied to its output at build time
 * ({@code quarkus.operator-sdk.crd.post-processor}): what each resource is (`kubectl explain` prints it first),
 * printer columns in the order `kubectl get` shows them, and lists merged by key.
 *
 * <p>Lists keyed by name are {@code x-kubernetes-list-type: map}: without it they are atomic, so server-side
 * apply and GitOps tools replace a whole list when one manager sets one field of one entry (a worker's replicas)
 * and the other entries' fields owned by nobody else are dropped.
 */
public class CrdFinisher implements CRDPostProcessor {
  private record Resource(String kind, String description, String specDescription, String statusDescription,
      List<CustomResourceColumnDefinition> columns, List<String> listsKeyedByName) {}

  private static final List<Resource> RESOURCES = List.of(
      new Resource("WebApp",
          "A web application shipped as one revision: its web Deployment and Service, its queue workers, one "
              + "singleton scheduler and a migration command run before the revision starts. A change to the "
              + "image, command, env or pod settings is a new revision; the RolloutPolicy it names says how it "
              + "goes out.",
          "What the app is: image, components, shared settings and how its revisions go out.",
          "What Slipway observed and did, written by the operator: phase, conditions, revisions and the progress "
              + "of the rollout in flight.",
          List.of(
              column("Phase", ".status.phase", "string", 0, "Where the app is in its life."),
              column("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0,
                  "Whether the stable revision serves at full capacity."),
              column("Revision", ".status.stableRevision", "string", 0, "The revision that serves."),
              column("Image", ".spec.image", "string", 0, "The image the spec asks for."),
              column("Step", ".status.canary.step", "integer", 0, "The canary step in progress."),
              column("Age", ".metadata.creationTimestamp", "date", 0, null),
              column("Message", ".status.message", "string", 1, "What is happening, in one line.")),
          List.of("spec.env", "spec.web.env", "spec.scheduler.env", "spec.workers", "spec.workers[].env",
              "spec.migrate.env", "spec.podTemplate.volumes")),
      new Resource("RolloutPolicy",
          "How a new revision goes out for the WebApps that name it: rolling with surge, canary steps gated on "
              + "Prometheus queries, or blue-green, with automatic rollback when a gate fails.",
          "The strategy, its steps and the gates that judge a revision.",
          "Unused: what a policy does shows in the status of the WebApps that name it.",
          List.of(
              column("Strategy", ".spec.strategy", "string", 0, "Rolling, Canary or BlueGreen."),
              column("Age", ".metadata.creationTimestamp", "date", 0, null)),
          List.of("spec.gates", "spec.gates[].prometheus.headers")));

  /**
   * The Kubernetes type of each property of this name, wherever it is (its items' type for a list). A property
   * whose fields differ from the type's is left alone, and CrdDescriptionsTest names it.
   */
  static final Map<String, String> EMBEDDED = Map.ofEntries(
      Map.entry("env", "io.k8s.api.core.v1.EnvVar"),
      Map.entry("envFrom", "io.k8s.api.core.v1.EnvFromSource"),
      Map.entry("resources", "io.k8s.api.core.v1.ResourceRequirements"),
      Map.entry("affinity", "io.k8s.api.core.v1.Affinity"),
      Map.entry("securityContext", "io.k8s.api.core.v1.PodSecurityContext"),
      Map.entry("containerSecurityContext", "io.k8s.api.core.v1.SecurityContext"),
      Map.entry("imagePullSecrets", "io.k8s.api.core.v1.LocalObjectReference"),
      Map.entry("tolerations", "io.k8s.api.core.v1.Toleration"),
      Map.entry("topologySpreadConstraints", "io.k8s.api.core.v1.TopologySpreadConstraint"),
      Map.entry("volumes", "io.k8s.api.core.v1.Volume"),
      Map.entry("volumeMounts", "io.k8s.api.core.v1.VolumeMount"),
      Map.entry("conditions", "io.k8s.apimachinery.pkg.apis.meta.v1.Condition"),
      Map.entry("bearerTokenSecret", "io.k8s.api.core.v1.SecretKeySelector"),
      Map.entry("caSecret", "io.k8s.api.core.v1.SecretKeySelector"),
      Map.entry("secretKeyRef", "io.k8s.api.core.v1.SecretKeySelector"));

  private final KubernetesDescriptions kubernetes = KubernetesDescriptions.load();

  @Override
  public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
    if (!(generated instanceof CustomResourceDefinition crd)) {
      return generated;
    }
    Resource resource = RESOURCES.stream().filter(r -> r.kind().equals(crd.getSpec().getNames().getKind()))
        .findFirst().orElseThrow(() -> new IllegalStateException(
            "CrdFinisher does not know " + crd.getSpec().getNames().getKind() + ": describe it here"));
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(new ArrayList<>(resource.columns()));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(resource.description());
      describe(root, "spec", resource.specDescription());
      describe(root, "status", resource.statusDescription());
      resource.listsKeyedByName().forEach(path -> keyByName(root, path));
      describeEmbedded(root);
    }
    return crd;
  }

  private void describeEmbedded(JSONSchemaProps schema) {
    if (schema.getProperties() == null) {
      return;
    }
    schema.getProperties().forEach((name, property) -> {
      JSONSchemaProps value = KubernetesDescriptions.valueOf(property);
      String type = EMBEDDED.get(name);
      if (type == null || !kubernetes.describe(value, type)) {
        describeEmbedded(value);
      }
    });
  }

  private static CustomResourceColumnDefinition column(String name, String jsonPath, String type, int priority,
      String description) {
    CustomResourceColumnDefinition column = new CustomResourceColumnDefinition();
    column.setName(name);
    column.setJsonPath(jsonPath);
    column.setType(type);
    column.setPriority(priority);
    column.setDescription(description);
    return column;
  }

  private static void describe(JSONSchemaProps root, String property, String description) {
    JSONSchemaProps props = root.getProperties().get(property);
    if (props != null && description != null) {
      props.setDescription(description);
    }
  }

  /** Marks the list at a dotted path ({@code []} steps into a list's items) as a map keyed by {@code name}. */
  private static void keyByName(JSONSchemaProps root, String path) {
    JSONSchemaProps list = root;
    for (String step : path.split("\\.")) {
      boolean intoItems = step.endsWith("[]");
      list = list.getProperties().get(intoItems ? step.substring(0, step.length() - 2) : step);
      if (list == null) {
        throw new IllegalStateException("no list at " + path + ": CrdFinisher is out of date");
      }
      if (intoItems) {
        list = list.getItems().getSchema();
      }
    }
    list.setXKubernetesListType("map");
    list.setXKubernetesListMapKeys(List.of("name"));
    // a map key must be present in every entry (the apiserver refuses the CRD otherwise)
    JSONSchemaProps item = list.getItems().getSchema();
    List<String> required = new ArrayList<>(item.getRequired() == null ? List.of() : item.getRequired());
    if (!required.contains("name")) {
      required.add(0, "name");
      item.setRequired(required);
    }
  }
}
