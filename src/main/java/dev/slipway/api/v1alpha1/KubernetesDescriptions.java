package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What `kubectl explain` says about the Kubernetes types a WebApp or RolloutPolicy embeds (EnvVar,
 * ResourceRequirements, Volume, Affinity…), which the CRD generator leaves without descriptions: the first
 * sentence of each field's description in the OpenAPI spec of the Kubernetes release we build against, kept in
 * {@code slipway/kubernetes-descriptions.json} ({@code KubernetesDescriptionsFile} in the tests writes it, and
 * CrdDriftIT checks it against that spec). First sentences, because the whole texts would triple the WebApp CRD
 * and take it past the 256 KiB that client-side apply can carry in an annotation.
 */
final class KubernetesDescriptions {
  static final String RESOURCE = "/slipway/kubernetes-descriptions.json";

  /**
   * @param description the field's first sentence
   * @param type the Kubernetes type of its value, or of its items, when it has fields of its own; else null
   */
  record Field(String description, String type) {}

  private final Map<String, Map<String, Field>> types;

  KubernetesDescriptions(Map<String, Map<String, Field>> types) {
    this.types = types;
  }

  static KubernetesDescriptions load() {
    try (InputStream in = KubernetesDescriptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      return new KubernetesDescriptions(new ObjectMapper().readValue(in, new TypeReference<>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Describes `schema` as an instance of `type`, field by field and all the way down, where the generator left
   * no description. False, and nothing changed, when the schema has a field the type lacks: then it is not one.
   * The type may have more (fabric8's model can be a Kubernetes release behind the spec).
   */
  boolean describe(JSONSchemaProps schema, String type) {
    Map<String, Field> fields = types.get(type);
    if (fields == null || schema.getProperties() == null || !fields.keySet().containsAll(schema.getProperties().keySet())) {
      return false;
    }
    schema.getProperties().forEach((name, property) -> {
      Field field = fields.get(name);
      if (property.getDescription() == null && field.description() != null) {
        property.setDescription(field.description());
      }
      if (field.type() != null) {
        describe(valueOf(property), field.type());
      }
    });
    return true;
  }

  /** The schema that holds a property's fields: its own, its list items', or its map values'. */
  static JSONSchemaProps valueOf(JSONSchemaProps property) {
    if (property.getItems() != null && property.getItems().getSchema() != null) {
      return property.getItems().getSchema();
    }
    if (property.getAdditionalProperties() != null && property.getAdditionalProperties().getSchema() != null) {
      return property.getAdditionalProperties().getSchema();
    }
    return property;
  }
}
