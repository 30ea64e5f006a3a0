package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.RolloutPolicy;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.desired.Labels;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.MetricsLab;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.Tracker;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blue-green on the real control plane: the web Service watched at every write (one per switch), both slots'
 * Deployments, the scheduler handover, and gates judged by a real Prometheus.
 */
@ExtendWith(ClusterExtension.class)
class BlueGreenIT {
  static MetricsLab metrics;

  @BeforeAll
  static void start(TestNamespace ns) {
    OperatorProcess.of(ns);
    metrics = new MetricsLab();
  }

  @AfterAll
  static void stop() {
    metrics.close();
  }

  static void policy(KubernetesClient client, TestNamespace ns, String name, String blueGreen) {
    String yaml = """
        apiVersion: slipway.dev/v1alpha1
        kind: RolloutPolicy
        metadata: {name: %s}
        spec:
          strategy: BlueGreen
          blueGreen: %s
          gates:
          - {name: errors, condition: 'result < 0.05', interval: 1s, count: 2,
             prometheus: {address: '%s', query: "%s"}}
        """.formatted(name, blueGreen, metrics.address(), CanaryIT.ERROR_RATE);
    client.resource(client.getKubernetesSerialization().unmarshal(yaml, RolloutPolicy.class)).inNamespace(ns.name())
        .create();
  }

  /** The track each written version of a Service selects, in order, from the version the watch starts at. */
  static final class SelectorWrites implements AutoCloseable {
    final List<String> tracks = new CopyOnWriteArrayList<>();
    final Watch watch;

    SelectorWrites(KubernetesClient client, TestNamespace ns, String service) {
      Service current = client.services().inNamespace(ns.name()).withName(service).get();
      watch = client.services().inNamespace(ns.name()).withName(service)
          .withResourceVersion(current.getMetadata().getResourceVersion()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Service s) {
              tracks.add(String.valueOf(s.getSpec().getSelector().get(Labels.TRACK)));
            }

            @Override
            public void onClose(WatcherException cause) {}
          });
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  static String selects(KubernetesClient client, TestNamespace ns, String service) {
    return client.services().inNamespace(ns.name()).withName(service).get().getSpec().getSelector()
        .get(Labels.TRACK);
  }

  /** Sizes of web, celery and scheduler of one slot, e.g. [3, 2, 1]. */
  static List<Integer> slot(KubernetesClient client, TestNamespace ns, String app, String suffix) {
    return List.of("web", "celery", "scheduler").stream()
        .map(c -> CanaryIT.replicas(client, ns, app + "-" + c + suffix)).toList();
  }

  static void release(WebApps apps, String app, String image) {
    apps.edit(app, a -> {
      a.getSpec().image = image;
      return a;
    });
  }

  static void control(WebApps apps, String app, String value) {
    apps.edit(app, a -> {
      Map<String, String> annotations = new java.util.HashMap<>(
          a.getMetadata().getAnnotations() == null ? Map.of() : a.getMetadata().getAnnotations());
      annotations.put("slipway.dev/control", value);
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  static boolean held(WebApp a) {
    return a.getStatus().blueGreen != null && a.getStatus().updateRevision.equals(a.getStatus().blueGreen.revision)
        && "Paused".equals(a.getStatus().blueGreen.phase);
  }

  @Test
  void aGatedPreviewIsPromotedByOneSelectorWriteAndTheNextRevisionPreviewsInTheOtherSlot(KubernetesClient client,
      TestNamespace ns) {
    metrics.requests("bg", Labels.PREVIEW, 0);
    metrics.requests("bg", Labels.STABLE, 0);
    policy(client, ns, "bg", "{previewReplicas: 1, prePromotionGates: [errors], scaleDownDelaySeconds: 3}");
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.usingPolicy(WebApps.sample("django-celery.yaml", "bg"), "bg"));
    apps.awaitReady("bg");
    assertThat(slot(client, ns, "bg", "")).containsExactly(3, 2, 1);

    try (SelectorWrites web = new SelectorWrites(client, ns, "bg-web");
        Tracker<Pod> schedulers = Tracker.pods(ns.name(), Labels.componentSelector("bg", "scheduler"))) {
      release(apps, "bg", "ghcr.io/example/shop:1.1.0");
      WebApp previewing = apps.await("bg", Duration.ofSeconds(60), BlueGreenIT::held);
      // The preview passed its gate and waits: one web pod, nothing consuming; what serves is untouched.
      assertThat(previewing.getStatus().blueGreen.prePromotionGates).extracting(g -> g.phase)
          .containsExactly("Successful");
      assertThat(previewing.getStatus().blueGreen.pauseReason).contains("slipway.dev/control: promote");
      assertThat(slot(client, ns, "bg", "-preview")).containsExactly(1, 0, 0);
      assertThat(slot(client, ns, "bg", "")).containsExactly(3, 2, 1);
      assertThat(selects(client, ns, "bg-web-preview")).isEqualTo(Labels.PREVIEW);
      assertThat(selects(client, ns, "bg-web")).isEqualTo(Labels.STABLE);
      assertThat(web.tracks).isEmpty();

      control(apps, "bg", "promote:1");
      WebApp promoted = apps.await("bg", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
          && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
      assertThat(promoted.getStatus().blueGreen.activeTrack).isEqualTo(Labels.PREVIEW);
      assertThat(promoted.getStatus().blueGreen.phase).isEqualTo("Promoted");
      assertThat(slot(client, ns, "bg", "-preview")).containsExactly(3, 2, 1);
      assertThat(slot(client, ns, "bg", "")).containsExactly(0, 0, 0);
      assertThat(web.tracks).containsExactly(Labels.PREVIEW);
      // Beat: never two pods at one instant, a stopping one included.
      assertThat(schedulers.max(p -> true)).isEqualTo(1);
      assertThat(selects(client, ns, "bg-web-preview")).isEqualTo(Labels.STABLE);

      // The next revision previews in the slot that served first; the one serving now is untouched.
      release(apps, "bg", "ghcr.io/example/shop:1.2.0");
      apps.await("bg", Duration.ofSeconds(60), BlueGreenIT::held);
      assertThat(slot(client, ns, "bg", "")).containsExactly(1, 0, 0);
      assertThat(slot(client, ns, "bg", "-preview")).containsExactly(3, 2, 1);
      control(apps, "bg", "promote:2");
      apps.await("bg", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
          && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
      assertThat(web.tracks).containsExactly(Labels.PREVIEW, Labels.STABLE);
      assertThat(slot(client, ns, "bg", "")).containsExactly(3, 2, 1);
      assertThat(slot(client, ns, "bg", "-preview")).containsExactly(0, 0, 0);
      assertThat(schedulers.max(p -> true)).isEqualTo(1);
    }
  }

  @Test
  void aFailingPostPromotionGateSwitchesBackInOneWrite(KubernetesClient client, TestNamespace ns) {
    metrics.requests("bg-post", Labels.PREVIEW, 0.5);
    policy(client, ns, "bg-post", "{autoPromotionSeconds: 0, postPromotionGates: [errors], scaleDownDelaySeconds: 60}");
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.usingPolicy(WebApps.sample("django-celery.yaml", "bg-post"), "bg-post"));
    apps.awaitReady("bg-post");

    try (SelectorWrites web = new SelectorWrites(client, ns, "bg-post-web")) {
      release(apps, "bg-post", "ghcr.io/example/shop:1.1.0");
      WebApp rejected = apps.await("bg-post", Duration.ofSeconds(90),
          a -> Boolean.TRUE.equals(a.getStatus().desiredRevisionRejected));
      assertThat(WebApps.condition(rejected, "Stalled").orElseThrow().getReason()).isEqualTo("GateFailed");
      assertThat(rejected.getStatus().blueGreen.activeTrack).isEqualTo(Labels.STABLE);
      assertThat(rejected.getStatus().blueGreen.phase).isEqualTo("Aborted");
      assertThat(web.tracks).containsExactly(Labels.PREVIEW, Labels.STABLE);
      // The old slot's web never left; its workers and beat come back, the rejected slot goes to 0.
      apps.await("bg-post", Duration.ofSeconds(30), a -> slot(client, ns, "bg-post", "").equals(List.of(3, 2, 1))
          && slot(client, ns, "bg-post", "-preview").equals(List.of(0, 0, 0)));
      assertThat(rejected.getStatus().stableRevision).isNotEqualTo(rejected.getStatus().updateRevision);
    }
  }

  @Test
  void leavingBlueGreenWhileThePreviewSlotServesHandsBackToThePlainDeployments(KubernetesClient client,
      TestNamespace ns) {
    policy(client, ns, "bg-leave", "{autoPromotionSeconds: 0, scaleDownDelaySeconds: 0}");
    WebApps apps = new WebApps(ns);
    apps.create(WebApps.usingPolicy(WebApps.sample("django-celery.yaml", "bg-leave"), "bg-leave"));
    apps.awaitReady("bg-leave");
    release(apps, "bg-leave", "ghcr.io/example/shop:1.1.0");
    WebApp switched = apps.await("bg-leave", Duration.ofSeconds(90), a -> WebApps.isTrue(a, "Ready")
        && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
    assertThat(switched.getStatus().blueGreen.activeTrack).isEqualTo(Labels.PREVIEW);
    assertThat(slot(client, ns, "bg-leave", "")).containsExactly(0, 0, 0);

    try (Tracker<Pod> schedulers = Tracker.pods(ns.name(), Labels.componentSelector("bg-leave", "scheduler"))) {
      RolloutPolicy rolling = client.resources(RolloutPolicy.class).inNamespace(ns.name()).withName("bg-leave")
          .get();
      rolling.getSpec().strategy = "Rolling";
      rolling.getSpec().blueGreen = null;
      client.resource(rolling).inNamespace(ns.name()).update();
      apps.await("bg-leave", Duration.ofSeconds(60), a -> client.apps().deployments().inNamespace(ns.name())
          .withLabels(Map.of(Labels.NAME, "bg-leave", Labels.TRACK, Labels.PREVIEW)).list().getItems().isEmpty()
          && slot(client, ns, "bg-leave", "").equals(List.of(3, 2, 1)) && WebApps.isTrue(a, "Ready"));
      assertThat(schedulers.max(p -> true)).isEqualTo(1);
    }
    assertThat(slot(client, ns, "bg-leave", "")).containsExactly(3, 2, 1);
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("bg-leave-web").get().getSpec()
        .getTemplate().getMetadata().getLabels().get(Labels.REVISION)).isEqualTo(switched.getStatus().stableRevision);
    assertThat(selects(client, ns, "bg-leave-web")).isNull();
    assertThat(client.services().inNamespace(ns.name()).withName("bg-leave-web-preview").get()).isNull();
  }
}
