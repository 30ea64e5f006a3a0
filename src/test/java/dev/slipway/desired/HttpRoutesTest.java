package dev.slipway.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Rule 0 routes /api to shop-web with a filter; rule 1 routes /docs to a Service of someone else. */
  static List<Map<String, Object>> rules(String firstRuleRefs) throws Exception {
    return MAPPER.readValue("""
        [{"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
          "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"add": [{"name": "x", "value": "1"}]}}],
          "backendRefs": %s},
         {"matches": [{"path": {"type": "PathPrefix", "value": "/docs"}}],
          "backendRefs": [{"name": "docs", "port": 80}]}]
        """.formatted(firstRuleRefs), new TypeReference<>() {});
  }

  @Test
  void theCanaryCopiesTheWebReferenceAndTheWeightsAddUpToAHundred() throws Exception {
    var changes = HttpRoutes.weighted(rules("[{\"name\": \"shop-web\", \"port\": 8080}]"), "ns", "shop-web",
        "shop-web-canary", 10);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.rule()).isZero();
      assertThat(c.backendRefs()).containsExactly(
          Map.of("name", "shop-web", "port", 8080, "weight", 90),
          Map.of("name", "shop-web-canary", "port", 8080, "weight", 10));
    });
  }

  @Test
  void otherBackendsOfTheRuleStayAndAnExistingCanaryReferenceIsReweighed() throws Exception {
    var rules = rules("[{\"name\": \"legacy\", \"port\": 80, \"weight\": 5}, {\"name\": \"shop-web\", \"port\": 80, "
        + "\"weight\": 90}, {\"name\": \"shop-web-canary\", \"port\": 80, \"weight\": 10}]");
    var changes = HttpRoutes.weighted(rules, "ns", "shop-web", "shop-web-canary", 50);
    assertThat(changes).singleElement().satisfies(c -> assertThat(c.backendRefs()).containsExactly(
        Map.of("name", "legacy", "port", 80, "weight", 5),
        Map.of("name", "shop-web", "port", 80, "weight", 50),
        Map.of("name", "shop-web-canary", "port", 80, "weight", 50)));
  }

  @Test
  void nothingToWriteWhenTheRouteAlreadySaysIt() throws Exception {
    assertThat(HttpRoutes.weighted(rules("[{\"name\": \"shop-web\", \"port\": 80}]"), "ns", "shop-web",
        "shop-web-canary", 0)).as("no canary reference: it already gets nothing").isEmpty();
    assertThat(HttpRoutes.weighted(rules("[{\"name\": \"shop-web\", \"port\": 80, \"weight\": 75}, "
        + "{\"name\": \"shop-web-canary\", \"port\": 80, \"weight\": 25}]"), "ns", "shop-web", "shop-web-canary", 25))
        .isEmpty();
    assertThat(HttpRoutes.weighted(rules("[{\"name\": \"shop-web\", \"port\": 80, \"weight\": 75}, "
        + "{\"name\": \"shop-web-canary\", \"port\": 80, \"weight\": 25}]"), "ns", "shop-web", "shop-web-canary", 0))
        .singleElement().satisfies(c -> assertThat(c.backendRefs()).containsExactly(
            Map.of("name", "shop-web", "port", 80, "weight", 100),
            Map.of("name", "shop-web-canary", "port", 80, "weight", 0)));
  }

  @Test
  void aServiceOfAnotherNamespaceOrKindIsNotTheWebService() throws Exception {
    assertThat(HttpRoutes.problem(rules("[{\"name\": \"shop-web\", \"namespace\": \"other\", \"port\": 80}]"),
        "ns", "shop-web")).hasValueSatisfying(p -> assertThat(p).contains("shop-web"));
    assertThat(HttpRoutes.problem(rules("[{\"name\": \"shop-web\", \"kind\": \"ServiceImport\", "
        + "\"group\": \"multicluster.x-k8s.io\"}]"), "ns", "shop-web")).isPresent();
    assertThat(HttpRoutes.problem(rules("[{\"name\": \"shop-web\", \"kind\": \"Service\", \"namespace\": \"ns\"}]"),
        "ns", "shop-web")).isEmpty();
    assertThat(HttpRoutes.weighted(rules("[{\"name\": \"shop-web\", \"namespace\": \"other\", \"port\": 80}]"),
        "ns", "shop-web", "shop-web-canary", 30)).isEmpty();
  }
}
