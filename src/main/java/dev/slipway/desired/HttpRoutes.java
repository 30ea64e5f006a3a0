package dev.slipway.desired;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a user's Gateway API HTTPRoute that Slipway manages: in each rule that routes to the web
 * Service, the weights of that Service and of the canary Service. Everything else in the route — other rules,
 * matches, filters, other backends — is the user's and is never touched. Pure functions over the route's
 * {@code spec.rules} as parsed JSON.
 */
public final class HttpRoutes {
  private HttpRoutes() {}

  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String API_VERSION = GROUP + "/v1";
  public static final String KIND = "HTTPRoute";

  /** A rule's backendRefs that Slipway rewrote, by the rule's index. */
  public record Change(int rule, List<Map<String, Object>> backendRefs) {}

  /** Why the route cannot carry the canary's traffic, or empty when it can. */
  public static Optional<String> problem(List<Map<String, Object>> rules, String namespace, String webService) {
    boolean routesToWeb = rules.stream().anyMatch(rule -> backendRefs(rule).stream()
        .anyMatch(ref -> refersTo(ref, namespace, webService)));
    return routesToWeb ? Optional.empty()
        : Optional.of("no rule of the route has the web Service " + webService + " as a backendRef");
  }

  /**
   * The backendRefs to write so that every rule routing to `stable` sends `weight` percent to `canary` and the
   * rest to `stable`. The canary's reference copies the stable one (port, filters) under the canary's name. A
   * rule without a canary reference already sends nothing to it, so weight 0 needs no write there.
   */
  public static List<Change> weighted(List<Map<String, Object>> rules, String namespace, String stable,
      String canary, int weight) {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      List<Map<String, Object>> refs = backendRefs(rules.get(i));
      Optional<Map<String, Object>> stableRef = refs.stream().filter(r -> refersTo(r, namespace, stable)).findFirst();
      boolean hasCanary = refs.stream().anyMatch(r -> refersTo(r, namespace, canary));
      if (stableRef.isEmpty() || weight == 0 && !hasCanary) {
        continue;
      }
      List<Map<String, Object>> wanted = new ArrayList<>();
      for (Map<String, Object> ref : refs) {
        if (ref == stableRef.get()) {
          wanted.add(withWeight(ref, null, 100 - weight));
          wanted.add(withWeight(ref, canary, weight));
        } else if (!refersTo(ref, namespace, canary)) {
          wanted.add(ref);
        }
      }
      if (!wanted.equals(refs)) {
        changes.add(new Change(i, wanted));
      }
    }
    return changes;
  }

  /** A backendRef to a Service of this namespace by that name (kind, group and namespace may be left out). */
  static boolean refersTo(Map<String, Object> ref, String namespace, String service) {
    return service.equals(ref.get("name"))
        && Objects.equals(ref.getOrDefault("kind", "Service"), "Service")
        && Objects.equals(ref.getOrDefault("group", ""), "")
        && Objects.equals(ref.getOrDefault("namespace", namespace), namespace);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> backendRefs(Map<String, Object> rule) {
    Object refs = rule.get("backendRefs");
    return refs instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  private static Map<String, Object> withWeight(Map<String, Object> ref, String name, int weight) {
    Map<String, Object> copy = new LinkedHashMap<>(ref);
    if (name != null) {
      copy.put("name", name);
    }
    copy.put("weight", weight);
    return copy;
  }
}
