package dev.slipway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {
  @Test
  void readsTheOneSampleOfAVector() {
    assertThat(PrometheusClient.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[{\"metric\":{},\"value\":[1700000000.1,\"0.0125\"]}]}}"))
        .isEqualTo(new QueryResult.Value(0.0125));
  }

  @Test
  void aVectorOfSeveralSeriesIsAnErrorNamingThem() {
    assertThat(PrometheusClient.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"hostname\":\"celery@a\",\"name\":\"t\"},\"value\":[1,\"0.5\"]},"
        + "{\"metric\":{\"hostname\":\"celery@b\"},\"value\":[1,\"0\"]},"
        + "{\"metric\":{\"hostname\":\"celery@c\"},\"value\":[1,\"0\"]}]}}"))
        .isEqualTo(new QueryResult.Failure("the query returned 3 series ({hostname=\"celery@a\",name=\"t\"}, "
            + "{hostname=\"celery@b\"} and 1 more); a gate judges one number: aggregate them, e.g. sum(...), "
            + "max(...) or a ratio of sums"));
  }

  @Test
  void emptyVectorAndNaNAreNoData() {
    assertThat(PrometheusClient.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
        .isInstanceOf(QueryResult.Empty.class);
    assertThat(PrometheusClient.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
        + "\"result\":[1700000000.1,\"NaN\"]}}")).isInstanceOf(QueryResult.Empty.class);
  }

  @Test
  void errorsAreNeverValues() {
    assertThat(PrometheusClient.parse(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"))
        .isEqualTo(new QueryResult.Failure("HTTP 400: bad_data: parse error"));
    assertThat(PrometheusClient.parse(502, "<html>bad gateway</html>")).isInstanceOf(QueryResult.Failure.class);
    assertThat(new PrometheusClient(Duration.ofMillis(500)).query("http://127.0.0.1:1", "up"))
        .isInstanceOf(QueryResult.Failure.class)
        .satisfies(r -> assertThat(((QueryResult.Failure) r).message()).contains("unreachable"));
  }

  @Test
  void queryPlaceholdersAreFilled() {
    assertThat(QueryTemplate.render("rate(errors{app=\"{{app}}\",track=\"{{ track }}\"}[1m])",
        Map.of("app", "shop", "track", "canary"))).isEqualTo("rate(errors{app=\"shop\",track=\"canary\"}[1m])");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueryTemplate.render("{{pod}}", Map.of()))
        .hasMessageContaining("unknown placeholder {{pod}}");
  }
}
