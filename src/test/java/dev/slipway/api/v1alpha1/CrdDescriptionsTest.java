package dev.slipway.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `kubectl explain` is how users read our API: every field Slipway defines (every field of a class in this
 * package, reached from the resources) has a description in the checked-in CRDs, and so do the resources
 * themselves; so does every field of the embedded Kubernetes types (EnvVar, Volume…), from Kubernetes' own spec.
 * And the WebApp CRD stays small enough for client-side apply, which keeps a copy in an annotation.
 */
class CrdDescriptionsTest {
  @Test
  void everyFieldWeDefineIsDescribed() throws IOException {
    List<String> missing = new ArrayList<>();
    missing.addAll(undescribed("crds/webapps.slipway.dev-v1.yml", WebApp.class));
    missing.addAll(undescribed("crds/rolloutpolicies.slipway.dev-v1.yml", RolloutPolicy.class));
    assertThat(missing).as("fields without a description").isEmpty();
  }

  @Test
  void everyFieldOfTheEmbeddedKubernetesTypesIsDescribedToo() throws IOException {
    List<String> missing = new ArrayList<>();
    everyProperty(schema("crds/webapps.slipway.dev-v1.yml"), "WebApp", missing);
    everyProperty(schema("crds/rolloutpolicies.slipway.dev-v1.yml"), "RolloutPolicy", missing);
    assertThat(missing).as("fields without a description").isEmpty();
    JSONSchemaProps env = schema("crds/webapps.slipway.dev-v1.yml").getProperties().get("spec").getProperties()
        .get("env").getItems().getSchema();
    assertThat(env.getProperties().get("valueFrom").getDescription())
        .isEqualTo("Source for the environment variable's value.");
  }

  /** The annotation limit of client-side apply is 256 KiB for all of an object's annotations. */
  @Test
  void theCrdsFitClientSideApply() throws IOException {
    for (String crd : List.of("crds/webapps.slipway.dev-v1.yml", "crds/rolloutpolicies.slipway.dev-v1.yml")) {
      try (InputStream in = Files.newInputStream(Path.of(crd))) {
        String json = Serialization.asJson(Serialization.unmarshal(in, CustomResourceDefinition.class));
        assertThat(json.length()).as("%s as JSON", crd).isLessThan(200 * 1024);
      }
    }
  }

  private static void everyProperty(JSONSchemaProps schema, String path, List<String> missing) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, property) -> {
        if (property.getDescription() == null || property.getDescription().isBlank()) {
          missing.add(path + "." + name);
        }
        everyProperty(KubernetesDescriptions.valueOf(property), path + "." + name, missing);
      });
    }
  }

  @Test
  void explainingTheResourcesSaysWhatTheyAre() throws IOException {
    assertThat(schema("crds/webapps.slipway.dev-v1.yml").getDescription()).contains("web application");
    assertThat(schema("crds/rolloutpolicies.slipway.dev-v1.yml").getDescription()).contains("revision goes out");
  }

  static List<String> undescribed(String crd, Class<?> resource) throws IOException {
    JSONSchemaProps root = schema(crd);
    List<String> missing = new ArrayList<>();
    for (String part : List.of("spec", "status")) {
      JSONSchemaProps props = root.getProperties().get(part);
      if (props == null) {
        continue;
      }
      if (props.getDescription() == null || props.getDescription().isBlank()) {
        missing.add(resource.getSimpleName() + "." + part);
      }
      walk(typeOf(resource, part), props, resource.getSimpleName() + "." + part, missing);
    }
    return missing;
  }

  /** The spec or status class of a CustomResource<S, T>. */
  private static Class<?> typeOf(Class<?> resource, String part) {
    Type[] args = ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments();
    return (Class<?>) args[part.equals("spec") ? 0 : 1];
  }

  private static void walk(Class<?> type, JSONSchemaProps schema, String path, List<String> missing) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(JsonIgnore.class)) {
          continue;
        }
        JsonProperty named = field.getAnnotation(JsonProperty.class);
        String name = named != null && !named.value().isEmpty() ? named.value() : field.getName();
        JSONSchemaProps props = schema.getProperties() == null ? null : schema.getProperties().get(name);
        if (props == null) {
          missing.add(path + "." + name + " (not in the CRD)");
          continue;
        }
        if (props.getDescription() == null || props.getDescription().isBlank()) {
          missing.add(path + "." + name);
        }
        Class<?> element = elementType(field.getGenericType());
        if (element.getPackage() == CrdDescriptionsTest.class.getPackage() && !element.isEnum()) {
          JSONSchemaProps inner = props.getItems() != null ? props.getItems().getSchema()
              : props.getAdditionalProperties() != null && props.getAdditionalProperties().getSchema() != null
                  ? props.getAdditionalProperties().getSchema() : props;
          walk(element, inner, path + "." + name, missing);
        }
      }
    }
  }

  /** The class of a field, or of a list's or map's values. */
  private static Class<?> elementType(Type type) {
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      return elementType(args[args.length - 1]);
    }
    return type instanceof Class<?> c ? c : Object.class;
  }

  private static JSONSchemaProps schema(String crd) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(crd))) {
      CustomResourceDefinition definition = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return definition.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }
}
