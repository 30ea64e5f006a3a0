package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.Commands;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.TestNamespace;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Pod behaviour that kwok can only pretend, on the real node (a real kubelet, containerd, kube-proxy and
 * cluster DNS; hack/realnode.sh): the kubelet runs the probes Slipway generates, restarts what fails them,
 * sends SIGTERM, and kube-proxy routes the web Service. The app is src/test/images/testapp; a bad release is
 * the same image with one env var set.
 */
@ExtendWith(ClusterExtension.class)
@Isolated("it times what the kubelet and kube-proxy do (drains, probes, requests lost in a rollout); another class's CPU load delays them")
class RealNodeIT {
  static final String IMAGE = "slipway.local/testapp:1";
  static final String NODE = "slipway-real-0";

  @BeforeAll
  static void imageOnTheNode(TestNamespace ns) {
    imageOnTheNode();
    OperatorProcess.of(ns);
  }

  /** The test app's image, built here and imported into the real node's runtime. */
  static void imageOnTheNode() {
    Commands.run(Cluster.repo().resolve("hack/images.sh").toString(), "testapp");
    Commands.run(Cluster.repo().resolve("hack/cluster.sh").toString(), "load", IMAGE);
  }

  /** A WebApp of the test app whose pods run on the real node; `extra` is YAML appended under spec. */
  static WebApp app(String name, String extra) {
    String yaml = """
        apiVersion: slipway.dev/v1alpha1
        kind: WebApp
        metadata: {name: %s}
        spec:
          image: %s
          podTemplate:
            imagePullPolicy: Never
            nodeSelector: {slipway.dev/real-node: "true"}
            tolerations: [{key: slipway.dev/real-node, operator: Exists, effect: NoSchedule}]
            securityContext: {runAsNonRoot: true, runAsUser: 1000}
        %s
        """.formatted(name, IMAGE, extra.indent(2));
    return Cluster.client().getKubernetesSerialization().unmarshal(yaml, WebApp.class);
  }

  static UnaryOperator<WebApp> webEnv(String name, String value) {
    return app -> {
      app.getSpec().web.env = new ArrayList<>(List.of(new EnvVar("VERSION", name + "-" + value, null),
          new EnvVar(name, value, null)));
      return app;
    };
  }

  static List<Pod> pods(KubernetesClient client, TestNamespace ns, String app, String component) {
    return client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app)
        .withLabel("app.kubernetes.io/component", component).list().getItems();
  }

  /** GET through the real kube-proxy (the Service's cluster IP) from this machine. */
  static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A steady, bounded request loop against a URL (the web Service's cluster IP, through the real kube-proxy),
   * counting what fails: one request every 10 ms (or `pauseMillis`), at most 5 minutes whatever happens. Each
   * request on its own connection, as from many clients: kube-proxy balances connections, not requests, so one
   * keep-alive connection would stay on one pod and a canary would see none of the traffic.
   */
  static final class Load implements AutoCloseable {
    final AtomicInteger sent = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean running = new AtomicBoolean(true);
    final Thread thread;

    Load(String url) {
      this(url, null, 10);
    }

    /** With `host` (when not null) as the Host header instead of the URL's address. */
    Load(String url, String host, long pauseMillis) {
      thread = new Thread(() -> {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (running.get() && System.nanoTime() < deadline) {
          sent.incrementAndGet();
          try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestProperty("Connection", "close");
            if (host != null) {
              connection.setRequestProperty("Host", host);
            }
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            if (status != 200) {
              try (InputStream body = connection.getErrorStream()) {
                // The Server header tells which program answered (the test app is BaseHTTP).
                failures.add(status + " " + (body == null ? "" : new String(body.readAllBytes(),
                    StandardCharsets.UTF_8).trim()) + " (Server: " + connection.getHeaderField("Server") + ")");
              }
            } else {
              connection.getInputStream().readAllBytes();
              connection.getInputStream().close();
            }
            Thread.sleep(pauseMillis);
          } catch (IOException e) {
            failures.add(e.toString());
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "load");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  @Test
  void theSeedsProbeDefaultsRunOnRealPodsThatFindServicesByName(KubernetesClient client, TestNamespace ns)
      throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(app("seed", """
        web: {replicas: 2}
        """));
    apps.awaitReady("seed");

    Deployment web = client.apps().deployments().inNamespace(ns.name()).withName("seed-web").get();
    var container = web.getSpec().getTemplate().getSpec().getContainers().get(0);
    Probe readiness = container.getReadinessProbe();
    assertThat(List.of(readiness.getPeriodSeconds(), readiness.getTimeoutSeconds(), readiness.getFailureThreshold()))
        .as("readiness every 30 s, timeout 10 s, 3 failures").containsExactly(30, 10, 3);
    Probe startup = container.getStartupProbe();
    // The kubelet probes at once when the container starts, then every period: polls at 0, 10, ... 40 s.
    assertThat(startup.getPeriodSeconds() * (startup.getFailureThreshold() - 1)).as("a 40 s startup budget")
        .isEqualTo(40);
    assertThat(pods(client, ns, "seed", "web")).hasSize(2).allSatisfy(pod -> {
      assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
      assertThat(pod.getStatus().getPodIP()).startsWith("10.88.");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getStarted()).as("the kubelet's startup probe passed")
          .isTrue();
    });

    HttpClient http = HttpClient.newHttpClient();
    String clusterIp = client.services().inNamespace(ns.name()).withName("seed-web").get().getSpec().getClusterIP();
    assertThat(get(http, "http://" + clusterIp + "/").body()).as("the web Service through kube-proxy")
        .startsWith("hello v1 seed-web-");
    Pod pod = pods(client, ns, "seed", "web").get(0);
    String podIp = pod.getStatus().getPodIP();
    assertThat(get(http, "http://" + podIp + ":8000/fetch?url=http://seed-web/").body())
        .as("from a pod, the Service by its short name (cluster DNS) through kube-proxy").startsWith("hello v1");
    // The kubelet writes no Docker-link variables (SEED_WEB_PORT=tcp://…) for the namespace's Services;
    // KUBERNETES_SERVICE_HOST, which the kubelet always sets, shows the environment was read.
    String env = Commands.run(Commands.tool("kubectl"), "-n", ns.name(), "exec", pod.getMetadata().getName(),
        "--", "env");
    assertThat(env).contains("KUBERNETES_SERVICE_HOST=").doesNotContain("SEED_WEB_PORT", "SEED_WEB_SERVICE_HOST");
    assertThat(get(http, "http://" + podIp + ":8000/fetch?url=https://kubernetes.default.svc/version").body())
        .as("from a pod, the apiserver as kubernetes.default (verified against the cluster CA)")
        .contains("\"gitVersion\": \"v1.36");
    assertThat(get(http, "http://" + podIp + ":8000/fetch?url=http://example.com/").body())
        .as("names outside the cluster are not resolved: nothing leaves this machine")
        .contains("name resolution");
  }

  /**
   * An app that checks the Host header as stock Django does (ALLOWED_HOSTS) answers the pod IP with 400, and
   * the pod IP is what the kubelet sends unless told otherwise: the default probes send Host: localhost and pass.
   */
  @Test
  void aHostCheckingAppPassesTheDefaultProbes(KubernetesClient client, TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(app("hosts", """
        web:
          replicas: 1
          env: [{name: ALLOWED_HOSTS, value: localhost}]
        """));
    apps.awaitReady("hosts");
    Pod pod = pods(client, ns, "hosts", "web").get(0);
    assertThat(pod.getStatus().getConditions()).anySatisfy(condition -> {
      assertThat(condition.getType()).isEqualTo("Ready");
      assertThat(condition.getStatus()).isEqualTo("True");
    });
    assertThat(get(HttpClient.newHttpClient(), "http://" + pod.getStatus().getPodIP() + ":8000/health/"))
        .as("the app refuses its pod IP as Host").satisfies(response -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.body()).contains("Invalid HTTP_HOST header");
        });
  }

  /**
   * A node drain evicts the running migration (the Eviction API, as `kubectl drain` does): the Job replaces the
   * pod instead of counting it against backoffLimit 0, and the release still goes out. The migration exits on
   * SIGTERM, as a Python process that handles it does.
   */
  @Test
  void aMigrationEvictedByANodeDrainRunsAgainAndTheReleaseGoesOut(KubernetesClient client, TestNamespace ns) {
    WebApps apps = new WebApps(ns);
    apps.create(app("drained", """
        web: {replicas: 1}
        migrate:
          command: [python3, -c, "import signal, sys, time; signal.signal(signal.SIGTERM, lambda *_: sys.exit(143)); time.sleep(15)"]
          backoffLimit: 0
        """));
    Pod first = await().atMost(Cluster.TIMEOUT).until(() -> pods(client, ns, "drained", "migrate").stream()
        .filter(pod -> "Running".equals(pod.getStatus().getPhase())).findFirst(), Optional::isPresent).get();
    assertThat(client.pods().inNamespace(ns.name()).withName(first.getMetadata().getName()).evict())
        .as("the eviction is admitted").isTrue();

    WebApp ready = apps.awaitReady("drained");
    assertThat(ready.getStatus().migration.phase).isEqualTo("Succeeded");
    assertThat(pods(client, ns, "drained", "migrate")).extracting(pod -> pod.getMetadata().getName())
        .as("a second pod ran the migration").isNotEmpty().doesNotContain(first.getMetadata().getName());
  }

  /**
   * Three bad releases, each judged by the kubelet and rolled back by Slipway while stable keeps serving
   * every request: ready only after the startup budget, never answering /health/, crash-looping.
   */
  @Test
  void releasesTheKubeletFailsAreRolledBackWhileStableServesEveryRequest(KubernetesClient client, TestNamespace ns)
      throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(app("bad", """
        web:
          replicas: 2
          health: {periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 2, startupSeconds: 10}
        rollout: {progressDeadlineSeconds: 30}
        """));
    String stable = apps.awaitReady("bad").getStatus().stableRevision;
    String clusterIp = client.services().inNamespace(ns.name()).withName("bad-web").get().getSpec().getClusterIP();
    Load load = new Load("http://" + clusterIp + "/");
    record Release(String env, String value, String kubeletSays) {}
    try (load) {
      for (Release release : List.of(
          new Release("READY_AFTER_SECONDS", "25", "Startup probe failed"),
          new Release("HEALTH", "never", "Startup probe failed: HTTP probe failed with statuscode: 404"),
          new Release("CRASH_AFTER_SECONDS", "1", "Back-off restarting failed container"))) {
        long released = System.nanoTime();
        apps.edit("bad", webEnv(release.env(), release.value()));
        WebApp rejected = apps.await("bad", Duration.ofMinutes(3),
            a -> a.getStatus().desiredRevisionRejected && WebApps.isTrue(a, "Stalled")
                && a.getStatus().components.stream().noneMatch(c -> !stable.equals(c.revision)));
        System.out.printf("[RealNodeIT] %s=%s rejected and rolled back %.1f s after the release "
            + "(progress deadline 30 s)%n", release.env(), release.value(), (System.nanoTime() - released) / 1e9);
        assertThat(rejected.getStatus().phase).as(release.env()).isEqualTo("Degraded");
        assertThat(rejected.getStatus().stableRevision).isEqualTo(stable);
        String rejectedRevision = rejected.getStatus().updateRevision;
        assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
            .as("the kubelet's verdict on %s=%s", release.env(), release.value())
            .anySatisfy(e -> {
              assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
              assertThat(e.getInvolvedObject().getName()).startsWith("bad-web-");
              assertThat(e.getMessage()).contains(release.kubeletSays());
            });
        // maxUnavailable 1 let the Deployment stop one stable pod for the new one; the rollback brings it back.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pods(client, ns, "bad", "web"))
            .as("only ready stable pods after %s was rejected", rejectedRevision).hasSize(2).allSatisfy(p -> {
              assertThat(p.getMetadata().getLabels()).containsEntry("slipway.dev/revision", stable);
              assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
              assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
            }));
        client.v1().events().inNamespace(ns.name()).delete();
      }
    }
    System.out.printf("[RealNodeIT] three rejected releases: %d requests sent to the web Service, %d failed%n",
        load.sent.get(), load.failures.size());
    assertThat(load.failures).as("stable served every request").isEmpty();
  }

  /** A worker that gets SIGTERM finishes its running task before it exits, within its grace period. */
  @Test
  void aStoppingWorkerFinishesItsRunningTask(KubernetesClient client, TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(app("drain", """
        web: {replicas: 1, health: {periodSeconds: 2, startupSeconds: 10}}
        workers:
        - name: tasks
          replicas: 1
          terminationGracePeriodSeconds: 30
          env: [{name: MODE, value: worker}, {name: TASK_SECONDS, value: "8"}]
        """));
    apps.awaitReady("drain");
    Pod worker = pods(client, ns, "drain", "tasks").get(0);
    List<String> lines = new ArrayList<>();
    AtomicBoolean taskRunning = new AtomicBoolean();
    long sigtermSentAt;
    // The log is followed on a client of its own: the stream ends when the container does, and a connection
    // closed under it must not be one the shared client's other requests use (CI once saw the next request
    // of this test fail with "Connection was closed").
    try (KubernetesClient logClient = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
         LogWatch log = logClient.pods().inNamespace(ns.name()).withName(worker.getMetadata().getName()).watchLog();
         BufferedReader reader = new BufferedReader(new InputStreamReader(log.getOutput(), StandardCharsets.UTF_8))) {
      Thread follower = new Thread(() -> {
        try {
          for (String line; (line = reader.readLine()) != null; ) {
            synchronized (lines) {
              lines.add(line);
            }
            taskRunning.set(line.contains(" started"));
          }
        } catch (IOException e) {
          // the stream ends when the container does
        }
      });
      follower.start();
      await().atMost(Duration.ofSeconds(30)).untilTrue(taskRunning);
      sigtermSentAt = System.nanoTime();
      apps.edit("drain", a -> {
        a.getSpec().workers.get(0).env.add(new EnvVar("VERSION", "v2", null));
        return a;
      });
      follower.join(Duration.ofSeconds(60).toMillis());
      assertThat(follower.isAlive()).as("the old worker stopped within its grace period").isFalse();
    }
    double stoppedAfter = (System.nanoTime() - sigtermSentAt) / 1e9;
    String all = String.join("\n", lines);
    Matcher started = Pattern.compile("task (\\d+) started").matcher(all);
    String last = null;
    while (started.find()) {
      last = started.group(1);
    }
    assertThat(all).contains("SIGTERM: finishing the running task")
        .contains("task " + last + " finished").endsWith("worker stopped");
    System.out.printf("[RealNodeIT] worker drain: last task %s started before SIGTERM and finished; stopped %.1f s "
        + "after the release (grace 30 s)%n", last, stoppedAfter);
    assertThat(stoppedAfter).isLessThan(30);
    apps.awaitReady("drain");
  }

  /**
   * A rolling update of the web component under a steady load through the Service's cluster IP loses no
   * request: readiness gates new pods, and the preStop pause Slipway adds keeps a stopping pod serving until
   * kube-proxy has taken it out (the app itself closes at once on SIGTERM).
   */
  @Test
  void aRollingUpdateUnderLoadLosesNoRequest(KubernetesClient client, TestNamespace ns) throws Exception {
    WebApps apps = new WebApps(ns);
    apps.create(app("steady", """
        web: {replicas: 2, health: {periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1, startupSeconds: 10}}
        """));
    apps.awaitReady("steady");
    String url = "http://" + client.services().inNamespace(ns.name()).withName("steady-web").get().getSpec()
        .getClusterIP() + "/";
    Load load = new Load(url);
    try (load) {
      Thread.sleep(2000);
      for (String version : List.of("v2", "v3")) {
        apps.edit("steady", a -> {
          a.getSpec().web.env = new ArrayList<>(List.of(new EnvVar("VERSION", version, null)));
          return a;
        });
        apps.await("steady", Duration.ofMinutes(2), a -> WebApps.isTrue(a, "Ready")
            && a.getStatus().updateRevision.equals(a.getStatus().stableRevision));
        await().atMost(Duration.ofSeconds(60)).until(() -> pods(client, ns, "steady", "web").size() == 2);
      }
      Thread.sleep(2000);
    }
    System.out.printf("[RealNodeIT] rolling update of web twice under load: %d requests sent, %d failed%n",
        load.sent.get(), load.failures.size());
    assertThat(load.sent.get()).isGreaterThan(200);
    assertThat(load.failures).as("failed requests").isEmpty();
    assertThat(get(HttpClient.newHttpClient(), url).body()).startsWith("hello v3");
  }
}
