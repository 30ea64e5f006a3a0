package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** YAML documents with the line of every field, so lint messages point at the line to fix. */
record LocatedYaml(JsonNode node, Map<String, Integer> lines, int line) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static List<LocatedYaml> read(Path file) throws IOException {
    List<LocatedYaml> docs = new ArrayList<>();
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      while (p.nextToken() != null) {
        Map<String, Integer> lines = new HashMap<>();
        int line = p.currentTokenLocation().getLineNr();
        JsonNode node = value(p, "", lines);
        if (!node.isNull()) {
          docs.add(new LocatedYaml(node, lines, line));
        }
      }
    }
    return docs;
  }

  /** The line of `path`, or of its nearest parent that has one (a missing field is reported at its parent). */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return line;
  }

  private static JsonNode value(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = SchemaValidator.join(path, name);
          lines.put(child, p.currentTokenLocation().getLineNr());
          p.nextToken();
          o.set(name, value(p, child, lines));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(value(p, path + "[" + i++ + "]", lines));
        }
        return a;
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        return NODES.textNode(p.getText());
      }
    }
  }
}
