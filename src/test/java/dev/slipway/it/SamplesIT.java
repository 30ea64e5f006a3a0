package dev.slipway.it;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.StartsEarly;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The samples users copy first (samples/django-celery*.yaml) on the real node with the sample shop's image:
 * every pod Ready and none restarted once each of its probes has had two periods — the defects only a real
 * kubelet shows (a probe that never expands its variables, a beat that cannot write its schedule). What ties a
 * sample to its author's registry, database and cluster is replaced, and nothing else: the image, the settings
 * module, the database and broker, the node, and the number of replicas (one of each fits the node's 2 cores).
 */
@ExtendWith(ClusterExtension.class)
@StartsEarly
class SamplesIT {
  static final List<String> SAMPLES = List.of("django-celery.yaml", "django-celery-canary.yaml",
      "django-celery-bluegreen.yaml");

  @BeforeAll
  static void shopImagesAndBackingServices(KubernetesClient client, TestNamespace ns) {
    ShopIT.imagesOnTheNode(ns);
    ShopIT.backingServices(client, ns);
  }

  @Test
  void theDjangoCelerySamplesPassTheirProbesOnARealKubelet(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    // The RolloutPolicies are the samples' own (canary-policy.yaml too): a first revision goes out directly.
    client.resource(unmarshal(read("canary-policy.yaml"), RolloutPolicy.class)).inNamespace(ns.name()).create();
    List<String> names = new ArrayList<>();
    for (String sample : SAMPLES) {
      for (String document : read(sample).split("(?m)^---$")) {
        if (document.contains("\nkind: RolloutPolicy")) {
          client.resource(unmarshal(document, RolloutPolicy.class)).inNamespace(ns.name()).create();
        } else if (document.contains("\nkind: WebApp")) {
          WebApp app = unmarshal(document, WebApp.class);
          String database = "sample-" + app.getMetadata().getName();
          ShopIT.createDatabase(ns, database);
          apps.create(onTheRealNode(app, database, names.size() + 1));
          names.add(app.getMetadata().getName());
        }
      }
    }
    assertThat(names).hasSize(SAMPLES.size());

    for (String name : names) {
      apps.await(name, Duration.ofMinutes(4), app -> WebApps.isTrue(app, "Ready"));
    }
    // The longest probe period of an app (worker exec probes: 60 s by default), twice, then nothing restarted.
    for (String name : names) {
      WebApp app = apps.get(name);
      int period = Math.max(app.getSpec().web.health.periodSeconds,
          app.getSpec().workers.stream().filter(w -> w.health != null).mapToInt(w -> w.health.periodSeconds)
              .max().orElse(0));
      await().atMost(Duration.ofSeconds(2L * period + 60)).pollInterval(Duration.ofSeconds(2)).until(() ->
          pods(client, ns, name).stream().allMatch(pod -> Duration.between(
              Instant.parse(pod.getStatus().getStartTime()), Instant.now()).toSeconds() > 2L * period));
      assertThat(pods(client, ns, name)).as("%s's pods after %d s", name, 2 * period)
          .extracting(pod -> pod.getMetadata().getLabels().get("app.kubernetes.io/component"))
          .contains("web", "celery", "scheduler");
      assertThat(pods(client, ns, name).stream().flatMap(pod -> pod.getStatus().getContainerStatuses().stream()
          .filter(c -> !c.getReady() || c.getRestartCount() > 0)
          .map(c -> pod.getMetadata().getName() + ": ready " + c.getReady() + ", " + c.getRestartCount()
              + " restarts, last ended " + c.getLastState().getTerminated() + previousLog(client, ns, pod, c)))
          .toList())
          .as("%s's containers not ready or restarted", name).isEmpty();
    }
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(event -> "Unhealthy".equals(event.getReason()) || "BackOff".equals(event.getReason()))
        .filter(event -> names.stream().anyMatch(app -> event.getInvolvedObject().getName().startsWith(app + "-")))
        .map(event -> event.getInvolvedObject().getName() + ": " + event.getMessage()).toList())
        .as("the samples' probe failures and restarts").isEmpty();
  }

  /**
   * The sample with the shop's image on the real node: the shop's settings module, its own database on the
   * shop's PostgreSQL and its own Redis database as the broker, one replica of web and of each worker.
   */
  static WebApp onTheRealNode(WebApp app, String database, int redisDatabase) {
    var spec = app.getSpec();
    spec.image = "slipway.local/shop:1";
    spec.podTemplate.imagePullPolicy = "Never";
    spec.podTemplate.nodeSelector = Map.of("slipway.dev/real-node", "true");
    spec.podTemplate.tolerations = List.of(new Toleration("NoSchedule", "slipway.dev/real-node", "Exists", null,
        null));
    List<EnvVar> env = new ArrayList<>(spec.env.stream().map(e -> switch (e.getName()) {
      case "DJANGO_SETTINGS_MODULE" -> new EnvVar(e.getName(), "shop.settings", null);
      case "CELERY_BROKER_URL" -> new EnvVar(e.getName(), "redis://redis:6379/" + redisDatabase, null);
      default -> e;
    }).toList());
    env.add(new EnvVar("DATABASE_HOST", "postgres", null));
    env.add(new EnvVar("DATABASE_NAME", database, null));
    for (String variable : List.of("USER", "PASSWORD")) {
      env.add(new EnvVarBuilder().withName("DATABASE_" + variable).withNewValueFrom()
          .withNewSecretKeyRef("POSTGRES_" + variable, "shop-db", false).endValueFrom().build());
    }
    spec.env = env;
    spec.web.replicas = 1;
    spec.workers.forEach(worker -> worker.replicas = 1);
    return app;
  }

  /** What a restarted container printed before it ended: the reason is in it, not in its exit code. */
  static String previousLog(KubernetesClient client, TestNamespace ns, Pod pod, ContainerStatus container) {
    if (container.getRestartCount() == 0) {
      return "";
    }
    String log = client.pods().inNamespace(ns.name()).withName(pod.getMetadata().getName())
        .inContainer(container.getName()).terminated().getLog();
    return ", its log:\n" + log.lines().skip(Math.max(0, log.lines().count() - 40)).collect(joining("\n"));
  }

  static List<Pod> pods(KubernetesClient client, TestNamespace ns, String app) {
    return ShopIT.appPods(client, ns, app).stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static String read(String sample) {
    try {
      return Files.readString(WebApps.samples().resolve(sample));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T unmarshal(String yaml, Class<T> type) {
    return Cluster.client().getKubernetesSerialization().unmarshal(yaml, type);
  }
}
