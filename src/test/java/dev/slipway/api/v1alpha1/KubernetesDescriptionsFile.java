package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@link KubernetesDescriptions#RESOURCE} from a Kubernetes OpenAPI v3 spec
 * ({@code api/openapi-spec/v3/api__v1_openapi.json} of the k8s.io/kubernetes module): the fields of every type
 * {@link CrdFinisher#EMBEDDED} names and of every type below them, each with its first sentence.
 */
public final class KubernetesDescriptionsFile {
  private KubernetesDescriptionsFile() {}

  /** Where the file lives on the classpath (src/main/resources). */
  public static final String RESOURCE = KubernetesDescriptions.RESOURCE;

  private static final Set<String> ABBREVIATIONS = Set.of("e.g.", "i.e.", "etc.", "vs.", "Ex.");
  private static final Pattern SENTENCE_END = Pattern.compile("\\S+[.](?=\\s|$)");

  public static String render(JsonNode openApi) {
    JsonNode schemas = openApi.path("components").path("schemas");
    Map<String, Map<String, KubernetesDescriptions.Field>> types = new TreeMap<>();
    Deque<String> pending = new ArrayDeque<>(CrdFinisher.EMBEDDED.values());
    while (!pending.isEmpty()) {
      String type = pending.pop();
      if (types.containsKey(type)) {
        continue;
      }
      JsonNode definition = schemas.path(type);
      if (definition.isMissingNode()) {
        throw new IllegalArgumentException("the spec has no type " + type);
      }
      Map<String, KubernetesDescriptions.Field> fields = new TreeMap<>();
      definition.path("properties").fields().forEachRemaining(e -> {
        String ref = reference(e.getValue());
        boolean hasFields = ref != null && schemas.path(ref).has("properties");
        if (hasFields) {
          pending.push(ref);
        }
        String text = e.getValue().path("description").asText(null);
        fields.put(e.getKey(), new KubernetesDescriptions.Field(text == null ? null : firstSentence(text),
            hasFields ? ref : null));
      });
      types.put(type, fields);
    }
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(types) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The type a property's value (or its items, or its map values) refers to, or null. */
  static String reference(JsonNode property) {
    for (JsonNode candidate : new JsonNode[] {property, property.path("items"), property.path("additionalProperties")}) {
      String ref = candidate.path("$ref").asText(null);
      if (ref == null && candidate.path("allOf").isArray() && !candidate.path("allOf").isEmpty()) {
        ref = candidate.path("allOf").get(0).path("$ref").asText(null);
      }
      if (ref != null) {
        return ref.substring(ref.lastIndexOf('/') + 1);
      }
    }
    return null;
  }

  /** The first sentence of the first paragraph, on one line; "e.g." and the like end none. */
  static String firstSentence(String text) {
    String paragraph = text.split("\n\n", 2)[0].replace('\n', ' ').trim();
    Matcher end = SENTENCE_END.matcher(paragraph);
    while (end.find()) {
      if (!ABBREVIATIONS.contains(end.group()) && !end.group().matches("(.*[.])?[A-Za-z][.]")) {
        return paragraph.substring(0, end.end());
      }
    }
    return paragraph;
  }

  /** Writes the file from a spec: {@code KubernetesDescriptionsFile SPEC.json OUT.json}. */
  public static void main(String[] args) throws Exception {
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]),
        render(new ObjectMapper().readTree(java.nio.file.Path.of(args[0]).toFile())));
  }
}
