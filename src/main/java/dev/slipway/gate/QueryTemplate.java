package dev.slipway.gate;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a gate query's placeholders — {{app}}, {{namespace}}, {{component}}, {{revision}}, {{track}} — so
 * one policy serves every WebApp that references it.
 */
public final class QueryTemplate {
  private QueryTemplate() {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
  public static final java.util.Set<String> NAMES = java.util.Set.of("app", "namespace", "component", "revision",
      "track");

  public static String render(String query, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}} in query; known: "
            + new java.util.TreeSet<>(NAMES));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
