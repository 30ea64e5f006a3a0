package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.PrometheusProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's alerts, evaluated by a real Prometheus on the operator's real metrics: each names its app, a
 * rejected release (the stable revision serving) is told from an app that serves nothing, and the
 * operator-down rule finds the operator by the labels a ServiceMonitor's target carries.
 */
@ExtendWith(ClusterExtension.class)
class AlertsIT {
  static final String SYSTEM = "slipway-system";

  /** The `groups:` of the chart's PrometheusRule, as a rule file. */
  static String chartRules() throws Exception {
    String rendered = Commands.run(Commands.tool("helm"), "template", "slipway",
        Cluster.repo().resolve("helm/slipway").toString(), "-n", SYSTEM, "--set", "metrics.prometheusRule.enabled=true",
        "--show-only", "templates/prometheusrule.yaml");
    YAMLMapper yaml = new YAMLMapper();
    return yaml.writeValueAsString(yaml.readTree(rendered).path("spec"));
  }

  static List<String> firing(PrometheusProcess prometheus, String alert, String namespace) {
    List<String> apps = new ArrayList<>();
    prometheus.query("ALERTS{alertname=\"" + alert + "\",namespace=\"" + namespace + "\"}")
        .forEach(series -> apps.add(series.path("metric").path("webapp").asText() + "/"
            + series.path("metric").path("reason").asText()));
    return apps;
  }

  @Test
  void alertsNameTheAppAndTellARejectedReleaseFromAnAppThatServesNothing(TestNamespace ns) throws Exception {
    OperatorProcess operator = OperatorProcess.of(ns);
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.sample("minimal.yaml", "served"));
    apps.awaitReady("served");
    // A policy that does not exist: the next revision cannot start, and the stable one keeps serving.
    apps.edit("served", a -> WebApps.usingPolicy(a, "missing"));
    apps.create(WebApps.usingPolicy(WebApps.sample("minimal.yaml", "nothing"), "missing"));
    apps.awaitStalled("served");
    apps.awaitStalled("nothing");

    // The pod name of a chart release named slipway, as the ServiceMonitor's target labels it.
    try (PrometheusProcess prometheus = PrometheusProcess.withRules(operator.httpAddress(),
        Map.of("namespace", SYSTEM, "pod", "slipway-7d9c6b5f4-x2k7q"), chartRules())) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(firing(prometheus, "SlipwayReleaseRejected", ns.name())).containsExactly("served/PolicyNotFound");
        assertThat(firing(prometheus, "SlipwayAppNotServing", ns.name())).containsExactly("nothing/PolicyNotFound");
      });
      assertThat(prometheus.query("ALERTS{alertname=\"SlipwayOperatorDown\"}")).as("the operator is up").isEmpty();
      assertThat(prometheus.query("up{namespace=\"" + SYSTEM + "\", pod=~\"slipway-[a-z0-9]+-[a-z0-9]+\"} == 1"))
          .as("the operator-down rule's selector finds the operator").hasSize(1);
      List<String> unhealthy = new ArrayList<>();
      for (JsonNode group : prometheus.ruleGroups()) {
        for (JsonNode rule : group.path("rules")) {
          if (!"ok".equals(rule.path("health").asText())) {
            unhealthy.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
          }
        }
      }
      assertThat(unhealthy).as("every rule evaluates").isEmpty();

      // Deleted, its series is gone at the next scrape: nothing to clean up, no stale alert.
      apps.api().inNamespace(ns.name()).withName("nothing").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          prometheus.query("slipway_webapp_stalled{namespace=\"" + ns.name() + "\",webapp=\"nothing\"}")).isEmpty());
    }
  }
}
