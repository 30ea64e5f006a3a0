package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.testing.ClusterExtension;
import dev.slipway.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is rejected at admission by the real apiserver (schema + CEL), with a message a person understands. */
@ExtendWith(ClusterExtension.class)
class ValidationIT {
  static final String HEAD = "apiVersion: slipway.dev/v1alpha1\nkind: WebApp\nmetadata: {name: NAME}\nspec:\n";

  static Arguments invalid(String description, String spec, String message) {
    return Arguments.of(description, HEAD + spec, message);
  }

  static Stream<Arguments> invalidWebApps() {
    return Stream.of(
        invalid("no image", "  web: {}\n", "spec.image: Required value"),
        invalid("empty image", "  image: ''\n  web: {}\n", "spec.image: Invalid value: \"\": spec.image in body should be at least 1 chars long"),
        invalid("image with a space", "  image: 'app: 1'\n  web: {}\n", "image must be an image reference without spaces"),
        invalid("image with a control character", "  image: \"app:1\\u0007\"\n  web: {}\n", "image must be an image reference without spaces or control characters"),
        invalid("no component", "  image: app:1\n", "a WebApp needs at least one of web, workers or scheduler"),
        invalid("restartedAt that is no time", "  image: app:1\n  web: {}\n  restartedAt: yesterday\n",
            "restartedAt must be an RFC 3339 time, e.g. 2026-12-07T09:30:00Z"),
        invalid("port out of range", "  image: app:1\n  web: {port: 70000}\n", "spec.web.port: Invalid value: 70000: spec.web.port in body should be less than or equal to 65535"),
        invalid("negative replicas", "  image: app:1\n  web: {replicas: -1}\n", "spec.web.replicas in body should be greater than or equal to 0"),
        invalid("a typo of a replica count", "  image: app:1\n  workers: [{name: celery, replicas: 20000}]\n", "spec.workers[0].replicas in body should be less than or equal to 1000"),
        invalid("worker name not DNS-1123", "  image: app:1\n  workers: [{name: Celery_Worker}]\n", "spec.workers[0].name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"),
        invalid("duplicate worker names", "  image: app:1\n  workers: [{name: celery}, {name: celery}]\n", "worker names must be unique within a WebApp"),
        invalid("worker named like a component", "  image: app:1\n  workers: [{name: web}]\n", "worker name must not be web, scheduler or migrate"),
        invalid("autoscaling min above max", "  image: app:1\n  web: {autoscaling: {minReplicas: 5, maxReplicas: 2}}\n", "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        invalid("autoscaling without max", "  image: app:1\n  web: {autoscaling: {minReplicas: 2}}\n", "spec.web.autoscaling.maxReplicas: Required value"),
        invalid("surge and unavailable both zero", "  image: app:1\n  web: {}\n  rollout: {rolling: {maxSurge: 0, maxUnavailable: '0%'}}\n", "maxSurge and maxUnavailable must not both be zero"),
        // Found by the fuzzing campaign: accepted, it stopped the operator's informer (no int32 to read it into).
        invalid("surge beyond any pod count", "  image: app:1\n  web: {}\n  rollout: {rolling: {maxSurge: 2147483648}}\n", "maxSurge must be a count (1) or a percentage (25%)"),
        // Found by the fuzzing campaign: a 65,536-character env name made a Job no informer could read.
        invalid("huge env variable name", "  image: app:1\n  web: {}\n  env: [{name: " + "E".repeat(1025) + ", value: x}]\n",
            "environment variable names are at most 1024 characters"),
        invalid("huge component env variable name", "  image: app:1\n  web: {env: [{name: " + "E".repeat(1025)
            + ", value: x}]}\n", "environment variable names are at most 1024 characters"),
        invalid("huge mount path", "  image: app:1\n  web: {}\n  podTemplate: {volumeMounts: [{name: v, mountPath: /"
            + "p".repeat(4096) + "}]}\n", "a mountPath is at most 4096 characters"),
        invalid("surge not a count or percentage", "  image: app:1\n  web: {}\n  rollout: {rolling: {maxSurge: lots}}\n", "maxSurge must be a count (1) or a percentage (25%)"),
        invalid("policy and inline rolling", "  image: app:1\n  web: {}\n  rollout: {policyRef: {name: p}, rolling: {maxSurge: 1}}\n", "set either rollout.policyRef or rollout.rolling, not both"),
        invalid("deadline too short", "  image: app:1\n  web: {}\n  rollout: {progressDeadlineSeconds: 1}\n", "spec.rollout.progressDeadlineSeconds in body should be greater than or equal to 10"),
        invalid("migration without command", "  image: app:1\n  web: {}\n  migrate: {activeDeadlineSeconds: 60}\n", "spec.migrate.command: Required value"),
        invalid("unknown service type", "  image: app:1\n  web: {service: {type: Ingress}}\n", "spec.web.service.type in body should match '^(ClusterIP|NodePort|LoadBalancer)$'"),
        invalid("health path not absolute", "  image: app:1\n  web: {health: {path: health}}\n", "spec.web.health.path in body should match '^/.*'"),
        invalid("worker grace period negative", "  image: app:1\n  workers: [{name: celery, terminationGracePeriodSeconds: -5}]\n", "should be greater than or equal to 0"),
        invalid("web autoscaling without a CPU request", "  image: app:1\n  web: {autoscaling: {maxReplicas: 4}, "
            + "resources: {requests: {memory: 256Mi}}}\n", "autoscaling needs resources.requests.cpu"),
        invalid("worker autoscaling without resources", "  image: app:1\n  workers: [{name: celery, "
            + "autoscaling: {maxReplicas: 4}}]\n", "autoscaling needs resources.requests.cpu"),
        invalid("env entry without a name", "  image: app:1\n  web: {}\n  env: [{value: x}]\n", "spec.env[0].name: Required value"),
        invalid("two env entries of one name", "  image: app:1\n  web: {}\n  env: [{name: A, value: x}, {name: A, value: y}]\n",
            "spec.env[1]: Duplicate value"),
        invalid("huge migration env variable name", "  image: app:1\n  web: {}\n  migrate: {command: [migrate], env: [{name: "
            + "E".repeat(1025) + ", value: x}]}\n", "environment variable names are at most 1024 characters"),
        invalid("replicas not a number", "  image: app:1\n  web: {replicas: three}\n", "spec.web.replicas: Invalid value: \"string\": spec.web.replicas in body must be of type integer"));
  }

  static GenericKubernetesResource parse(KubernetesClient client, String yaml, String name) {
    return client.getKubernetesSerialization().unmarshal(yaml.replace("NAME", name), GenericKubernetesResource.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidWebApps")
  void rejectedWithAReadableMessage(String description, String yaml, String message, KubernetesClient client,
      TestNamespace ns) {
    GenericKubernetesResource doc = parse(client, yaml, "bad");
    assertThatThrownBy(() -> client.resource(doc).inNamespace(ns.name()).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void namesLongerThan40CharactersAreRejected(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource doc = parse(client, HEAD + "  image: app:1\n  web: {}\n", "a".repeat(41));
    assertThatThrownBy(() -> client.resource(doc).inNamespace(ns.name()).create())
        .hasMessageContaining("WebApp names are at most 40 characters");
  }

  @Test
  void anAppAndWorkerNameTooLongForACeleryNodeNameAreRejected(KubernetesClient client, TestNamespace ns) {
    // 30 + 8 characters: the worker's pods would be named past the 58 the apiserver keeps of a generated name.
    String worker = "  image: app:1\n  workers: [{name: WORKER}]\n";
    GenericKubernetesResource tooLong = parse(client, HEAD + worker.replace("WORKER", "b".repeat(8)), "a".repeat(30));
    assertThatThrownBy(() -> client.resource(tooLong).inNamespace(ns.name()).create())
        .hasMessageContaining("the WebApp name and a worker name together are at most 37 characters");
    GenericKubernetesResource longest = parse(client, HEAD + worker.replace("WORKER", "b".repeat(7)), "a".repeat(30));
    client.resource(longest).inNamespace(ns.name()).create();
  }

  /**
   * GitOps tools and autoscaler-like controllers each own a few fields of one WebApp by server-side apply. The
   * lists keyed by name merge per entry, so one manager setting one worker's replicas leaves the other
   * manager's workers, commands and env alone (an atomic list would be replaced whole).
   */
  @Test
  void aSecondFieldManagerChangesOneWorkerAndKeepsTheRest(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource gitops = parse(client, HEAD + "  image: app:1\n  env: [{name: DEBUG, value: '0'}]\n"
        + "  workers:\n  - {name: celery, command: [celery, worker], replicas: 2}\n"
        + "  - {name: mail, command: [celery, worker, -Q, mail], replicas: 1}\n", "merged");
    client.resource(gitops).inNamespace(ns.name()).fieldManager("flux").serverSideApply();
    GenericKubernetesResource scaler = parse(client, HEAD + "  env: [{name: WORKERS_TUNED, value: '1'}]\n"
        + "  workers: [{name: celery, replicas: 6}]\n", "merged");
    client.resource(scaler).inNamespace(ns.name()).fieldManager("scaler").forceConflicts().serverSideApply();

    GenericKubernetesResource stored = client.genericKubernetesResources("slipway.dev/v1alpha1", "WebApp")
        .inNamespace(ns.name()).withName("merged").get();
    assertThat(stored.<Object>get("spec", "workers", 0, "replicas").toString()).isEqualTo("6");
    assertThat(stored.<Object>get("spec", "workers", 0, "command")).isEqualTo(List.of("celery", "worker"));
    assertThat(stored.<Object>get("spec", "workers", 1, "name")).isEqualTo("mail");
    assertThat(stored.<Object>get("spec", "env")).asList().hasSize(2);

    GenericKubernetesResource policy = client.getKubernetesSerialization().unmarshal(POLICY + GATE,
        GenericKubernetesResource.class);
    client.resource(policy).inNamespace(ns.name()).fieldManager("flux").serverSideApply();
    GenericKubernetesResource tuned = client.getKubernetesSerialization().unmarshal(POLICY
        + "  gates: [{name: error-rate, count: 9}]\n", GenericKubernetesResource.class);
    client.resource(tuned).inNamespace(ns.name()).fieldManager("sre").forceConflicts().serverSideApply();
    GenericKubernetesResource gates = client.genericKubernetesResources("slipway.dev/v1alpha1", "RolloutPolicy")
        .inNamespace(ns.name()).withName("p").get();
    assertThat(gates.<Object>get("spec", "gates", 0, "count").toString()).isEqualTo("9");
    assertThat(gates.<Object>get("spec", "gates", 0, "condition")).isEqualTo("result < 0.01");
  }

  static final String POLICY = "apiVersion: slipway.dev/v1alpha1\nkind: RolloutPolicy\nmetadata: {name: p}\nspec:\n";
  static final String GATE = "  gates: [{name: error-rate, condition: 'result < 0.01', "
      + "prometheus: {address: 'http://prom:9090', query: 'up'}}]\n";

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of("unknown strategy", "  strategy: Recreate\n", "strategy must be Rolling, Canary or BlueGreen"),
        Arguments.of("blue-green gate not defined", "  strategy: BlueGreen\n  blueGreen: {prePromotionGates: [smoke]}\n" + GATE, "every blueGreen prePromotionGates and postPromotionGates entry must be defined in gates"),
        Arguments.of("blue-green post gate not defined", "  strategy: BlueGreen\n  blueGreen: {postPromotionGates: [smoke]}\n", "every blueGreen prePromotionGates and postPromotionGates entry must be defined in gates"),
        Arguments.of("negative scale-down delay", "  strategy: BlueGreen\n  blueGreen: {scaleDownDelaySeconds: -1}\n", "spec.blueGreen.scaleDownDelaySeconds in body should be greater than or equal to 0"),
        Arguments.of("no preview pod", "  strategy: BlueGreen\n  blueGreen: {previewReplicas: 0}\n", "spec.blueGreen.previewReplicas in body should be greater than or equal to 1"),
        Arguments.of("canary without steps", "  strategy: Canary\n", "strategy Canary needs canary.steps"),
        Arguments.of("empty steps", "  strategy: Canary\n  canary: {steps: []}\n", "spec.canary.steps in body should have at least 1 items"),
        Arguments.of("no setWeight", "  strategy: Canary\n  canary: {steps: [{pause: {}}]}\n", "canary.steps needs at least one setWeight step"),
        Arguments.of("two kinds in one step", "  strategy: Canary\n  canary: {steps: [{setWeight: 5, pause: {}}]}\n", "a canary step sets exactly one of setWeight, pause or gate"),
        Arguments.of("weight above 100", "  strategy: Canary\n  canary: {steps: [{setWeight: 150}]}\n", "spec.canary.steps[0].setWeight in body should be less than or equal to 100"),
        Arguments.of("pause duration without unit", "  strategy: Canary\n  canary: {steps: [{setWeight: 5}, {pause: {duration: '10'}}]}\n", "spec.canary.steps[1].pause.duration in body should match"),
        Arguments.of("step names an undefined gate", "  strategy: Canary\n  canary: {steps: [{setWeight: 5}, {gate: {metrics: [latency]}}]}\n" + GATE, "every gate a canary step names must be defined in gates"),
        Arguments.of("background gate undefined", "  strategy: Canary\n  canary: {steps: [{setWeight: 5}], backgroundGates: [latency]}\n" + GATE, "every canary.backgroundGates entry must be defined in gates"),
        Arguments.of("duplicate gate names", "  gates: [{name: a, condition: 'result < 1', prometheus: {address: 'http://p', query: up}}, {name: a, condition: 'result < 2', prometheus: {address: 'http://p', query: up}}]\n", "gate names must be unique within a RolloutPolicy"),
        Arguments.of("gate without condition", "  gates: [{name: a, prometheus: {address: 'http://p', query: up}}]\n", "spec.gates[0].condition: Required value"),
        Arguments.of("prometheus address not a URL", "  gates: [{name: a, condition: 'result < 1', prometheus: {address: 'prom:9090', query: up}}]\n", "spec.gates[0].prometheus.address in body should match"),
        Arguments.of("unknown onNoData", "  gates: [{name: a, condition: 'result < 1', onNoData: Ignore, prometheus: {address: 'http://p', query: up}}]\n", "spec.gates[0].onNoData: Unsupported value: \"Ignore\""),
        Arguments.of("gate header with a value and a Secret", "  gates: [{name: a, condition: 'result < 1', prometheus: {address: 'https://p', query: up, headers: [{name: X-Scope-OrgID, value: shop, secretKeyRef: {name: s, key: k}}]}}]\n", "a gate header sets exactly one of value or secretKeyRef"),
        Arguments.of("gate header the client sets itself", "  gates: [{name: a, condition: 'result < 1', prometheus: {address: 'https://p', query: up, headers: [{name: host, value: p}]}}]\n", "a gate header must not be Host, Connection, Content-Length, Expect or Upgrade"),
        Arguments.of("count zero", "  gates: [{name: a, condition: 'result < 1', count: 0, prometheus: {address: 'http://p', query: up}}]\n", "spec.gates[0].count in body should be greater than or equal to 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void invalidPoliciesAreRejectedWithAReadableMessage(String description, String spec, String message,
      KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource doc = client.getKubernetesSerialization().unmarshal(POLICY + spec,
        GenericKubernetesResource.class);
    assertThatThrownBy(() -> client.resource(doc).inNamespace(ns.name()).create()).hasMessageContaining(message);
  }

  @Test
  void anInvalidUpdateLeavesTheStoredAppAsItWas(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource valid = parse(client, HEAD + "  image: app:1\n  web: {replicas: 2}\n", "keep");
    client.resource(valid).inNamespace(ns.name()).create();
    GenericKubernetesResource invalid = parse(client, HEAD + "  image: app:1\n  web: {replicas: -3}\n", "keep");
    assertThatThrownBy(() -> client.resource(invalid).inNamespace(ns.name()).update())
        .hasMessageContaining("spec.web.replicas in body should be greater than or equal to 0");
    GenericKubernetesResource stored = client.genericKubernetesResources("slipway.dev/v1alpha1", "WebApp")
        .inNamespace(ns.name()).withName("keep").get();
    assertThat(stored.get("spec", "web", "replicas").toString()).isEqualTo("2");
  }
}
