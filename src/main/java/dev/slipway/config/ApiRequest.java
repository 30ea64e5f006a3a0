package dev.slipway.config;

import java.util.List;

/**
 * The Kubernetes verb and resource of an API request, from its method and path: what apiserver_request_total
 * labels a request with, so the operator's own count can be checked against the apiserver's.
 */
public record ApiRequest(String verb, String resource) {
  private static final List<String> WRITES = List.of("create", "update", "patch", "delete");

  /**
   * @param method HTTP method
   * @param path URL path: /api/v1/namespaces/ns/pods/name, /apis/apps/v1/namespaces/ns/deployments/name/scale
   * @param query URL query, or null
   */
  public static ApiRequest of(String method, String path, String query) {
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    // Skip the group and version: /api/v1/... or /apis/group/version/...
    int i = parts.length > 0 && "apis".equals(parts[0]) ? 3 : 2;
    if (i + 1 < parts.length && "namespaces".equals(parts[i])) {
      // namespaces/<ns>/<resource>...; a bare namespaces/<ns> is the namespace itself
      i = i + 2 < parts.length ? i + 2 : i;
    }
    String resource = i < parts.length ? parts[i] : "";
    boolean named = i + 1 < parts.length;
    if (i + 2 < parts.length) {
      resource = resource + "/" + parts[i + 2];
    }
    return new ApiRequest(verb(method, named, query), resource);
  }

  private static String verb(String method, boolean named, String query) {
    return switch (method) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> query != null && query.contains("watch=true") ? "watch" : named ? "get" : "list";
    };
  }

  /** A request that changes stored state (access reviews are created but never stored). */
  public boolean isWrite() {
    return (WRITES.contains(verb) || "deletecollection".equals(verb)) && !resource.endsWith("reviews");
  }
}
