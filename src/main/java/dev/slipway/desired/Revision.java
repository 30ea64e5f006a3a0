package dev.slipway.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.MigrationStatus;
import dev.slipway.api.v1alpha1.WebAppSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A revision is a stable hash of everything that changes pods. Sizes (replicas, autoscaling), the
 * Service, the PDB, rollout settings and `paused` are left out: changing them never starts a rollout.
 */
public final class Revision {
  private Revision() {}

  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final List<String> NOT_IN_REVISION = List.of("rollout", "paused");
  private static final List<String> COMPONENT_SIZING = List.of("replicas", "autoscaling", "service", "disruption");

  public static String of(WebAppSpec spec) {
    ObjectNode tree = MAPPER.valueToTree(spec);
    NOT_IN_REVISION.forEach(tree::remove);
    stripSizing(tree.get("web"));
    JsonNode workers = tree.get("workers");
    if (workers instanceof ArrayNode array) {
      array.forEach(Revision::stripSizing);
    }
    return hash(canonical(tree).toString());
  }

  /**
   * What a revision's migration runs, as a hash: its pod template with a placeholder for the revision. Equal
   * hashes run the same command in the same image with the same environment and pod settings.
   */
  public static String ofMigration(String app, WebAppSpec spec) {
    return hash(canonical(MAPPER.valueToTree(Pods.migrateTemplate(app, spec, "any"))).toString());
  }

  /**
   * Whether `last`, a status's latest migration, succeeded running what the spec's migration would run. Then
   * the spec's revision does not migrate: the same Job would do the same to the same database.
   */
  public static boolean migratedAlready(String app, WebAppSpec spec, MigrationStatus last) {
    return spec.migrate != null && last != null && MigrationStatus.SUCCEEDED.equals(last.phase)
        && ofMigration(app, spec).equals(last.templateHash);
  }

  private static void stripSizing(JsonNode component) {
    if (component instanceof ObjectNode object) {
      COMPONENT_SIZING.forEach(object::remove);
    }
  }

  /** Object keys sorted at every level, nulls and empty containers dropped: equal specs, equal text. */
  static JsonNode canonical(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode value = canonical(e.getValue());
        if (!value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
          sorted.put(e.getKey(), value);
        }
      }
      ObjectNode out = MAPPER.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = MAPPER.createArrayNode();
      array.forEach(element -> out.add(canonical(element)));
      return out;
    }
    return node;
  }

  /** A short SHA-256 of a text; 10 hex digits, like a pod-template-hash. */
  public static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** Hash of any object's canonical JSON; used to tell whether an applied object is already current. */
  public static String hashOf(Object object) {
    return hash(canonical(MAPPER.valueToTree(object)).toString());
  }
}
