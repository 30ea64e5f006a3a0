package dev.slipway.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.config.FreezeGuard;
import dev.slipway.desired.HttpRoutes;
import dev.slipway.desired.Names;
import dev.slipway.desired.Owner;
import dev.slipway.status.StatusCalculator.Blocker;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the user's HTTPRoute a canary's traffic goes through and sets its weights, in one write per change.
 * The route is not Slipway's: a JSON patch replaces only the backendRefs of the rules that route to the web
 * Service, and carries the resourceVersion it was computed from, so a concurrent edit is never overwritten.
 */
final class RouteWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // Named in full: the client would otherwise ask discovery for the kind, and fail where it is not installed.
  private static final ResourceDefinitionContext ROUTES = new ResourceDefinitionContext.Builder()
      .withGroup(HttpRoutes.GROUP).withVersion("v1").withKind(HttpRoutes.KIND).withPlural("httproutes")
      .withNamespaced(true).build();

  /** The route to weigh, or why the canary cannot go through it. */
  record Lookup(GenericKubernetesResource route, Blocker problem) {}

  private final KubernetesClient client;

  RouteWriter(KubernetesClient client) {
    this.client = client;
  }

  Lookup find(Owner owner, String name) {
    GenericKubernetesResource route = routes(owner).withName(name).get();
    String unchanged = "; no traffic was changed";
    if (route == null) {
      // A 404 for the route and a 404 for its kind look alike; discovery tells them apart.
      return client.supports(HttpRoutes.API_VERSION, HttpRoutes.KIND)
          ? new Lookup(null, new Blocker("HTTPRouteNotFound", "HTTPRoute " + name + " does not exist in namespace "
              + owner.namespace() + unchanged))
          : new Lookup(null, new Blocker("GatewayAPINotInstalled", "canary.traffic.gatewayAPI needs the Gateway "
              + "API CRDs (" + HttpRoutes.KIND + " " + HttpRoutes.API_VERSION + "), which this cluster does not serve"
              + unchanged));
    }
    return HttpRoutes.problem(rules(route), owner.namespace(), Names.webService(owner.name()))
        .map(p -> new Lookup(null, new Blocker("HTTPRouteWithoutWebService", "HTTPRoute " + name + ": " + p
            + unchanged)))
        .orElseGet(() -> new Lookup(route, null));
  }

  /** Sends `weight` percent to the canary Service and the rest to the web Service, if the route does not yet. */
  void setCanaryWeight(Owner owner, GenericKubernetesResource route, int weight) {
    List<HttpRoutes.Change> changes = HttpRoutes.weighted(rules(route), owner.namespace(),
        Names.webService(owner.name()), Names.webCanaryService(owner.name()), weight);
    if (changes.isEmpty()) {
      return;
    }
    List<Map<String, Object>> patch = new ArrayList<>();
    // Replacing resourceVersion makes the apiserver refuse the patch (409) if the route changed meanwhile.
    patch.add(Map.of("op", "replace", "path", "/metadata/resourceVersion",
        "value", route.getMetadata().getResourceVersion()));
    for (HttpRoutes.Change c : changes) {
      patch.add(Map.of("op", "replace", "path", "/spec/rules/" + c.rule() + "/backendRefs", "value", c.backendRefs()));
    }
    FreezeGuard.checkBeforeWrite();
    routes(owner).withName(route.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), json(patch));
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> routes(Owner owner) {
    return client.genericKubernetesResources(ROUTES).inNamespace(owner.namespace());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules(GenericKubernetesResource route) {
    Object spec = route.getAdditionalProperties().get("spec");
    Object rules = spec instanceof Map<?, ?> m ? m.get("rules") : null;
    return rules instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
