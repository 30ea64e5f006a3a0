package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a document against a CRD's structural schema offline, the way the apiserver does at admission:
 * defaults first, then types, bounds, patterns, required and unknown fields, then the CEL rules
 * (x-kubernetes-validations) with the same CEL. Messages carry the field path; the caller adds lines.
 */
final class SchemaValidator {
  private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .setResultType(SimpleType.BOOL)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
  /** Every object has these; the CRD's schema leaves them to the apiserver. */
  private static final java.util.Set<String> ROOT_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

  /** A problem at a field path, e.g. spec.workers[0].name. */
  record Problem(String path, String message) {}

  private SchemaValidator() {}

  static List<Problem> validate(JsonNode document, JSONSchemaProps schema) {
    List<Problem> problems = new ArrayList<>();
    check(document, schema, "", problems);
    return problems;
  }

  private static void check(JsonNode node, JSONSchemaProps s, String path, List<Problem> problems) {
    int before = problems.size();
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!node.isIntegralNumber() && !node.isTextual()) {
        problems.add(new Problem(path, "must be an integer or a string"));
        return;
      }
    } else if (s.getType() != null && !hasType(node, s.getType())) {
      problems.add(new Problem(path, "must be of type " + s.getType() + ", not " + describe(node)));
      return;
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty()
        && s.getEnum().stream().noneMatch(e -> e.asText().equals(node.asText()))) {
      problems.add(new Problem(path, "must be one of " + s.getEnum().stream().map(JsonNode::asText).toList()
          + ", not \"" + node.asText() + "\""));
    }
    if (node.isTextual()) {
      String text = node.asText();
      if (s.getMinLength() != null && text.length() < s.getMinLength()) {
        problems.add(new Problem(path, "must be at least " + s.getMinLength() + " characters long"));
      }
      if (s.getMaxLength() != null && text.length() > s.getMaxLength()) {
        problems.add(new Problem(path, "must be at most " + s.getMaxLength() + " characters long"));
      }
      if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
        problems.add(new Problem(path, "must match " + s.getPattern() + ", not \"" + text + "\""));
      }
    }
    if (node.isNumber()) {
      if (s.getMinimum() != null && node.asDouble() < s.getMinimum()) {
        problems.add(new Problem(path, "must be at least " + number(s.getMinimum())));
      }
      if (s.getMaximum() != null && node.asDouble() > s.getMaximum()) {
        problems.add(new Problem(path, "must be at most " + number(s.getMaximum())));
      }
    }
    if (node.isArray()) {
      if (s.getMinItems() != null && node.size() < s.getMinItems()) {
        problems.add(new Problem(path, "must have at least " + s.getMinItems() + " items"));
      }
      if (s.getMaxItems() != null && node.size() > s.getMaxItems()) {
        problems.add(new Problem(path, "must have at most " + s.getMaxItems() + " items"));
      }
      if (s.getItems() != null && s.getItems().getSchema() != null) {
        for (int i = 0; i < node.size(); i++) {
          check(node.get(i), s.getItems().getSchema(), path + "[" + i + "]", problems);
        }
      }
    }
    if (node.isObject()) {
      checkObject((ObjectNode) node, s, path, problems);
    }
    // Like the apiserver: CEL rules run on values that passed the schema.
    if (s.getXKubernetesValidations() != null && before == problems.size()) {
      for (ValidationRule rule : s.getXKubernetesValidations()) {
        String failure = evaluate(rule, node);
        if (failure != null) {
          problems.add(new Problem(path, failure));
        }
      }
    }
  }

  private static void checkObject(ObjectNode node, JSONSchemaProps s, String path, List<Problem> problems) {
    Map<String, JSONSchemaProps> properties = s.getProperties() == null ? Map.of() : s.getProperties();
    // Defaults first, as the apiserver applies them before validation (CEL rules may read defaulted fields).
    properties.forEach((name, p) -> {
      if (!node.has(name) && p.getDefault() != null) {
        node.set(name, p.getDefault().deepCopy());
      }
    });
    for (String required : Objects.requireNonNullElse(s.getRequired(), List.<String>of())) {
      if (!node.has(required) || node.get(required).isNull()) {
        problems.add(new Problem(join(path, required), "is required"));
      }
    }
    boolean open = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String child = join(path, field.getKey());
      JSONSchemaProps p = properties.get(field.getKey());
      if (p != null) {
        if (!field.getValue().isNull()) {
          check(field.getValue(), p, child, problems);
        }
      } else if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
        check(field.getValue(), s.getAdditionalProperties().getSchema(), child, problems);
      } else if (!open && !properties.isEmpty() && !(path.isEmpty() && ROOT_FIELDS.contains(field.getKey()))) {
        problems.add(new Problem(child, "unknown field (the apiserver would drop it)"));
      }
    }
  }

  /** null when the rule holds; otherwise its message, or why it could not be evaluated. */
  private static String evaluate(ValidationRule rule, JsonNode node) {
    try {
      CelRuntime.Program program = PROGRAMS.computeIfAbsent(rule.getRule(), SchemaValidator::compile);
      Object result = program.eval(Map.of("self", toCel(node)));
      return Boolean.TRUE.equals(result) ? null : Objects.requireNonNullElse(rule.getMessage(),
          "failed rule: " + rule.getRule());
    } catch (CelEvaluationException e) {
      return "rule " + rule.getRule() + " cannot be evaluated: " + e.getMessage();
    }
  }

  private static CelRuntime.Program compile(String rule) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(rule).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("the CRD's rule " + rule + " does not compile: " + e.getMessage(), e);
    }
  }

  /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static boolean hasType(JsonNode node, String type) {
    return switch (type) {
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      case "string" -> node.isTextual();
      case "integer" -> node.isIntegralNumber();
      case "number" -> node.isNumber();
      case "boolean" -> node.isBoolean();
      default -> true;
    };
  }

  private static String describe(JsonNode node) {
    return node.isTextual() ? "string \"" + node.asText() + "\"" : node.getNodeType().name().toLowerCase();
  }

  private static String number(Double d) {
    return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
