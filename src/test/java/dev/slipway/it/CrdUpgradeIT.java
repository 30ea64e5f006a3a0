package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upgrading the WebApp CRD under apps that are stored: the CRD of commit dc3ceef (before workers, env and volumes
 * became lists keyed by name, and before most descriptions and admission rules) is replaced by today's, and the
 * apps stored under it are served with every field they had, take an unchanged update, and from then on merge
 * a second field manager's change to one worker. Under an API group of this class's own, so that the classes
 * running beside it keep today's slipway.dev.
 */
@ExtendWith(ClusterExtension.class)
class CrdUpgradeIT {
  static final ObjectMapper YAML = new YAMLMapper();
  static final String EARLIER = "src/test/resources/compat/webapps.slipway.dev-v1-dc3ceef.yml";

  @Test
  void appsStoredUnderTheEarlierCrdAreServedUnchangedAndMergeAfterTheUpgrade(KubernetesClient client,
      TestNamespace ns) throws Exception {
    String group = ns.name() + ".compat.slipway.dev";
    CustomResourceDefinition earlier = crd(Cluster.repo().resolve(EARLIER), group);
    client.resource(earlier).create();
    try {
      awaitEstablished(client, earlier.getMetadata().getName());
      ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(group)
          .withVersion("v1alpha1").withPlural("webapps").withKind("WebApp").withNamespaced(true).build();
      Map<String, JsonNode> stored = new java.util.LinkedHashMap<>();
      for (String sample : List.of("django-celery.yaml", "django-celery-canary.yaml")) {
        ObjectNode app = (ObjectNode) YAML.readTree(WebApps.samples().resolve(sample).toFile());
        app.put("apiVersion", group + "/v1alpha1");
        client.genericKubernetesResources(context).inNamespace(ns.name())
            .resource(YAML.convertValue(app, GenericKubernetesResource.class)).create();
        stored.put(app.path("metadata").path("name").asText(), app.path("spec"));
      }

      CustomResourceDefinition today = crd(Cluster.repo().resolve("crds/webapps.slipway.dev-v1.yml"), group);
      client.apiextensions().v1().customResourceDefinitions().withName(today.getMetadata().getName())
          .edit(crd -> {
            crd.setSpec(today.getSpec());
            return crd;
          });
      awaitEstablished(client, today.getMetadata().getName());

      var apps = client.genericKubernetesResources(context).inNamespace(ns.name());
      for (var entry : stored.entrySet()) {
        JsonNode served = YAML.valueToTree(apps.withName(entry.getKey()).get().getAdditionalProperties().get("spec"));
        assertThat(contains(served, entry.getValue())).as("%s keeps every field it was stored with: %s", entry.getKey(),
            served).isTrue();
        // An update that changes nothing passes today's rules (a GitOps tool's next sync).
        apps.withName(entry.getKey()).edit(app -> app);
      }

      // A second field manager sets one worker's replicas: with workers keyed by name, the rest stays.
      String name = stored.keySet().iterator().next();
      apps.withName(name).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
          .withFieldManager("sre").withForce(true).build(), """
          {"apiVersion": "%s/v1alpha1", "kind": "WebApp", "metadata": {"name": "%s"},
           "spec": {"workers": [{"name": "celery", "replicas": 5}]}}""".formatted(group, name));
      JsonNode worker = YAML.valueToTree(apps.withName(name).get().getAdditionalProperties().get("spec"))
          .path("workers").get(0);
      assertThat(worker.path("replicas").asInt()).isEqualTo(5);
      assertThat(worker.path("command")).as("the command set by the first manager").isEqualTo(
          stored.get(name).path("workers").get(0).path("command"));
    } finally {
      client.resource(earlier).delete();
    }
  }

  /** The CRD in this file, moved to another API group. */
  static CustomResourceDefinition crd(Path file, String group) throws IOException {
    ObjectNode crd = (ObjectNode) YAML.readTree(Files.readString(file));
    ((ObjectNode) crd.path("metadata")).put("name", "webapps." + group);
    ((ObjectNode) crd.path("spec")).put("group", group);
    // A short name two CRDs claim is accepted by neither: today's slipway.dev keeps `wapp`.
    ((ObjectNode) crd.path("spec").path("names")).remove(List.of("shortNames", "categories"));
    return YAML.convertValue(crd, CustomResourceDefinition.class);
  }

  static void awaitEstablished(KubernetesClient client, String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
          && crd.getStatus().getConditions().stream()
          .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }

  /** Whether `actual` holds every field of `expected` with the same value (it may hold more: new defaults). */
  static boolean contains(JsonNode actual, JsonNode expected) {
    if (expected.isObject()) {
      for (var it = expected.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!actual.has(field.getKey()) || !contains(actual.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!contains(actual.get(i), expected.get(i))) {
          return false;
        }
      }
      return true;
    }
    return actual.asText().equals(expected.asText());
  }
}
