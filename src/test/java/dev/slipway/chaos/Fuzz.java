package dev.slipway.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.v1alpha1.WebApp;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.OperatorProcess;
import dev.slipway.testing.WebApps;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Bad-input fuzzing against the real apiserver and operator: WebApp and RolloutPolicy documents made by
 * mutating the samples (wrong types, missing and extra fields, huge numbers, long and unicode strings, duplicate
 * names, dangling references) or generated from scratch. Each document is either rejected at admission with a
 * readable message, or accepted and then reconciled to Ready, to Stalled with a reason, or to Paused when it asks
 * to be. Anything else — a 5xx, an unreadable message, an app left without a verdict, an operator that logs an
 * error or dies — is a finding. Sizes: fuzz.documents, fuzz.seed.
 */
public final class Fuzz {
  static final String NS = "slipway-fuzz";
  static final int BATCH = 250;
  static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(120);
  static final ObjectMapper JSON = new ObjectMapper();

  public record Result(Map<String, Integer> outcomes, List<String> findings) {}

  private record Doc(String kind, String name, ObjectNode body, String mutations) {}

  private final int documents;
  private final long seed;
  private final Random random;
  private final KubernetesClient client = Cluster.client();
  private final List<ObjectNode> webApps = new ArrayList<>();
  private final List<ObjectNode> policies = new ArrayList<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> usedNames = new ArrayList<>();
  private int next;

  public Fuzz(int documents, long seed) {
    this.documents = documents;
    this.seed = seed;
    this.random = new Random(seed);
    for (String sample : List.of("minimal.yaml", "django-celery.yaml", "django-celery-canary.yaml")) {
      webApps.add(read(sample));
    }
    policies.add(read("canary-policy.yaml"));
    policies.add((ObjectNode) JSON.valueToTree(Map.of("apiVersion", "slipway.dev/v1alpha1", "kind", "RolloutPolicy",
        "metadata", Map.of("name", "rolling"), "spec", Map.of("strategy", "Rolling",
            "rolling", Map.of("maxSurge", "25%", "maxUnavailable", 0)))));
  }

  public static void main(String[] args) {
    int exit = 1;
    try {
      Result result = new Fuzz(Integer.getInteger("fuzz.documents", 10_000), Long.getLong("fuzz.seed",
          System.nanoTime())).run();
      exit = result.findings().isEmpty() ? 0 : 3;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      System.exit(exit);
    }
  }

  static ObjectNode read(String sample) {
    try {
      return (ObjectNode) new YAMLMapper().readTree(Files.readString(WebApps.samples().resolve(sample)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Result run() {
    Cluster.ensureCrds();
    client.namespaces().withName(NS).waitUntilCondition(n -> n == null, 5, TimeUnit.MINUTES);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    OperatorProcess operator = new OperatorProcess(Map.of("SLIPWAY_LEADER_ELECTION_LEASE_NAME", "slipway-fuzz",
        "SLIPWAY_LEADER_ELECTION_IDENTITY", "fuzz", "QUARKUS_OPERATOR_SDK_NAMESPACES", NS));
    long started = System.nanoTime();
    operator.start();
    // jqwik's generators outside a property need a session; seeded, so a run can be repeated.
    JqwikSession.start(String.valueOf(seed));
    try {
      // The policy the canary sample names, so its mutations are judged on their own faults.
      apply(new Doc("RolloutPolicy", "prod-canary", policies.get(0).deepCopy(), "none"));
      for (int done = 0; done < documents; done += BATCH) {
        batch(Math.min(BATCH, documents - done));
      }
      if (!operator.isAlive()) {
        findings.add("the operator died: " + operator.tail(40));
      }
    } finally {
      JqwikSession.finish();
      operator.stop();
      client.namespaces().withName(NS).delete();
    }
    // Never an exception in the operator log: every bad document has an answer, not a stack trace.
    OperatorProcess.unexpectedLines(operator.setLogAside()).stream().limit(20)
        .forEach(line -> findings.add("operator log: " + line));
    return report(Duration.ofNanos(System.nanoTime() - started));
  }

  /** Applies `size` documents, waits for a verdict on each one admitted, then removes them. */
  private void batch(int size) {
    Map<String, Doc> admitted = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      Doc doc = document();
      if (apply(doc)) {
        if (doc.kind().equals("RolloutPolicy")) {
          // A policy is judged by the app that uses it.
          ObjectNode body = withPolicy(webApps.get(0).deepCopy(), doc.name());
          body.withObject("metadata").put("name", doc.name() + "-app");
          Doc user = new Doc("WebApp", doc.name() + "-app", body, "uses policy " + doc.name());
          if (apply(user)) {
            admitted.put(user.name(), user);
          }
        } else {
          admitted.put(doc.name(), doc);
        }
      }
    }
    awaitVerdicts(admitted);
    client.resources(WebApp.class).inNamespace(NS).delete();
    client.genericKubernetesResources("slipway.dev/v1alpha1", "RolloutPolicy").inNamespace(NS).list().getItems()
        .stream().filter(p -> !"prod-canary".equals(p.getMetadata().getName()))
        .forEach(p -> client.resource(p).inNamespace(NS).delete());
  }

  private static ObjectNode withPolicy(ObjectNode app, String policy) {
    ((ObjectNode) app.path("spec")).putObject("rollout").putObject("policyRef").put("name", policy);
    return app;
  }

  /** Creates a document; true when admitted. A refusal must be a 4xx with a message a person can act on. */
  private boolean apply(Doc doc) {
    doc.body().withObject("metadata").put("namespace", NS);
    GenericKubernetesResource resource = JSON.convertValue(doc.body(), GenericKubernetesResource.class);
    try {
      client.resource(resource).inNamespace(NS).create();
      usedNames.add(doc.name());
      return true;
    } catch (KubernetesClientException e) {
      String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
      if (e.getCode() >= 400 && e.getCode() < 500 && readable(message)) {
        count(doc.kind() + " rejected at admission (" + e.getCode() + ")");
      } else {
        findings.add(doc.kind() + " " + doc.name() + " (" + doc.mutations() + ") got " + e.getCode() + ": " + message);
      }
      return false;
    } catch (IllegalArgumentException e) {
      // The client itself refused to send it (e.g. a name that is not a valid path segment): not our concern.
      count(doc.kind() + " refused by the client before sending");
      return false;
    }
  }

  static boolean readable(String message) {
    return message != null && !message.isBlank() && !message.contains("Exception") && !message.contains("java.");
  }

  private void awaitVerdicts(Map<String, Doc> admitted) {
    long deadline = System.nanoTime() + VERDICT_TIMEOUT.toNanos();
    Map<String, Doc> pending = new LinkedHashMap<>(admitted);
    while (!pending.isEmpty()) {
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        WebApp app = client.resources(WebApp.class).inNamespace(NS).withName(entry.getKey()).get();
        String verdict = verdict(app);
        if (verdict != null) {
          count("WebApp admitted and " + verdict);
          it.remove();
        } else if (fitsNoNode(entry.getKey())) {
          // Kubernetes' answer is final (no node is that large) and its Stalled comes at the progress deadline,
          // 600 s by default: waiting for it would only make the campaign slower.
          count("WebApp admitted; its pods are larger than any node (Stalled at its progress deadline)");
          it.remove();
        } else if (System.nanoTime() > deadline && unschedulable(entry.getKey())) {
          // No node can take its pods (e.g. a huge CPU request): Kubernetes' own answer is the progress
          // deadline (600 s by default), longer than this campaign waits.
          count("WebApp admitted; its pods fit no node (Stalled at its progress deadline)");
          it.remove();
        } else if (System.nanoTime() > deadline) {
          findings.add("WebApp " + entry.getKey() + " (" + entry.getValue().mutations() + ") had no verdict after "
              + VERDICT_TIMEOUT.toSeconds() + " s: " + WebApps.summary(app));
          it.remove();
        }
      }
      Chaos.sleep(1000);
    }
  }

  /** Some pod of the app waits for a node that can take it. */
  private boolean unschedulable(String app) {
    return unschedulablePods(app).findAny().isPresent();
  }

  /** Some unschedulable pod of the app asks for more CPU or memory than the largest node has. */
  private boolean fitsNoNode(String app) {
    List<Pod> waiting = unschedulablePods(app).toList();
    if (waiting.isEmpty()) {
      return false;
    }
    List<Map<String, Quantity>> nodes = client.nodes().list().getItems().stream()
        .map(n -> n.getStatus().getAllocatable()).toList();
    return waiting.stream().anyMatch(pod -> Stream.of("cpu", "memory").anyMatch(resource -> {
      BigDecimal asked = pod.getSpec().getContainers().stream()
          .filter(c -> c.getResources() != null && c.getResources().getRequests() != null)
          .<Quantity>map(c -> c.getResources().getRequests().get(resource))
          .filter(Objects::nonNull).map(Quantity::getNumericalAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
      return nodes.stream().allMatch(allocatable -> allocatable.get(resource) != null
          && asked.compareTo(allocatable.get(resource).getNumericalAmount()) > 0);
    }));
  }

  private Stream<Pod> unschedulablePods(String app) {
    return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", app).list().getItems().stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
            .stream().anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                && "Unschedulable".equals(c.getReason())));
  }

  /** Ready, Stalled with a reason and a message, or Paused because the spec says so; null while undecided. */
  static String verdict(WebApp app) {
    if (app == null || app.getStatus() == null
        || !app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration)) {
      return null;
    }
    if (WebApps.isTrue(app, "Ready")) {
      return "Ready";
    }
    var stalled = WebApps.condition(app, "Stalled").filter(c -> "True".equals(c.getStatus()));
    if (stalled.isPresent() && readable(stalled.get().getMessage()) && stalled.get().getReason() != null) {
      return "Stalled (" + stalled.get().getReason() + ")";
    }
    if (Boolean.TRUE.equals(app.getSpec().paused) && "Paused".equals(app.getStatus().phase)) {
      return "Paused as its spec asks";
    }
    return null;
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1, Integer::sum);
  }

  // ---- documents ----

  private Doc document() {
    String name = "f" + Integer.toString(next++, 36);
    boolean policy = random.nextInt(4) == 0;
    ObjectNode body = random.nextInt(5) == 0 ? generated(policy)
        : (policy ? policies : webApps).get(random.nextInt(policy ? policies.size() : webApps.size())).deepCopy();
    body.withObject("metadata").removeAll().put("name", name);
    List<String> applied = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      applied.add(mutate(body));
    }
    String finalName = body.path("metadata").path("name").asText(name);
    return new Doc(policy ? "RolloutPolicy" : "WebApp", finalName, body, String.join(", ", applied));
  }

  /** A document from scratch: the right shape, arbitrary values. */
  private ObjectNode generated(boolean policy) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", "slipway.dev/v1alpha1").put("kind", policy ? "RolloutPolicy" : "WebApp");
    ObjectNode spec = doc.putObject("spec");
    if (policy) {
      spec.put("strategy", pick("Rolling", "Canary", "BlueGreen", ""));
      ArrayNode steps = spec.putObject("canary").putArray("steps");
      for (int i = 0; i < random.nextInt(4); i++) {
        steps.addObject().put("setWeight", value(Arbitraries.integers().between(-10, 120)));
      }
      ObjectNode gate = spec.putArray("gates").addObject();
      gate.put("name", value(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)).toLowerCase());
      gate.put("condition", value(Arbitraries.of("result < 0.01", "result >", "true", "1 + 1", "result < 1")));
      gate.put("interval", value(Arbitraries.of("1s", "1m", "0s", "-1s", "1h30m", "forever")));
      gate.putObject("prometheus").put("address", value(Arbitraries.of("http://127.0.0.1:9", "not a url", "")))
          .put("query", value(Arbitraries.strings().all().ofMaxLength(40)));
    } else {
      spec.put("image", value(Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(60)));
      ObjectNode web = spec.putObject("web");
      web.put("replicas", value(Arbitraries.integers().between(-2, 4)));
      web.put("port", value(Arbitraries.integers().between(-1, 70000)));
      if (random.nextBoolean()) {
        ArrayNode workers = spec.putArray("workers");
        for (int i = 0; i < random.nextInt(3); i++) {
          workers.addObject().put("name", value(Arbitraries.strings().withCharRange('a', 'z').withChars('-')
              .ofMinLength(0).ofMaxLength(35))).put("replicas", value(Arbitraries.integers().between(0, 3)));
        }
      }
      if (random.nextInt(4) == 0) {
        spec.put("paused", true);
      }
    }
    return doc;
  }

  private enum Mutation { DELETE, EXTRA_FIELD, WRONG_TYPE, HUGE_NUMBER, LONG_STRING, UNICODE_STRING, DUPLICATE_ITEM,
    DANGLING_REFERENCE, EMPTY, NAME }

  /** One mutation at a random place of the document; its description. */
  private String mutate(ObjectNode doc) {
    Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
    List<String> paths = new ArrayList<>();
    collect(doc.path("spec"), "/spec", paths);
    if (paths.isEmpty()) {
      return "none";
    }
    String path = paths.get(random.nextInt(paths.size()));
    switch (m) {
      case DELETE -> remove(doc, path);
      case EXTRA_FIELD -> {
        JsonNode parent = doc.at(parentOf(path));
        if (parent instanceof ObjectNode object) {
          object.put(value(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)), random.nextInt());
        }
      }
      case WRONG_TYPE -> replace(doc, path, doc.at(path).isTextual() ? JsonNodeFactory.instance.numberNode(7)
          : doc.at(path).isNumber() ? JsonNodeFactory.instance.textNode("seven")
          : random.nextBoolean() ? JsonNodeFactory.instance.booleanNode(true) : JsonNodeFactory.instance.arrayNode());
      case HUGE_NUMBER -> replace(doc, path, JSON.valueToTree(pick(-1, 1001, 2147483648L, Long.MAX_VALUE, 1e20, 1.5,
          -2147483649L, 86401, 65536)));
      case LONG_STRING -> replace(doc, path, JsonNodeFactory.instance.textNode("x".repeat(
          pick(64, 254, 4096, 100_000))));
      case UNICODE_STRING -> replace(doc, path, JsonNodeFactory.instance.textNode(
          value(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(50))));
      case DUPLICATE_ITEM -> {
        JsonNode parent = doc.at(parentOf(path));
        if (parent instanceof ArrayNode array && !array.isEmpty()) {
          array.add(array.get(0).deepCopy());
        }
      }
      case DANGLING_REFERENCE -> {
        if ("WebApp".equals(doc.path("kind").asText())) {
          withPolicy(doc, "missing-" + random.nextInt(1000));
        } else if (doc.at("/spec/canary/steps") instanceof ArrayNode steps) {
          steps.addObject().putObject("gate").putArray("metrics").add("no-such-gate");
        }
      }
      case EMPTY -> replace(doc, path, doc.at(path).isArray() ? JsonNodeFactory.instance.arrayNode()
          : JsonNodeFactory.instance.objectNode());
      case NAME -> doc.withObject("metadata").put("name", usedNames.isEmpty() || random.nextBoolean()
          ? value(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(70))
          : usedNames.get(random.nextInt(usedNames.size())));
    }
    return m.name().toLowerCase() + (m == Mutation.NAME || m == Mutation.DANGLING_REFERENCE ? "" : " " + path);
  }

  private static void collect(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        String child = path + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        out.add(child);
        collect(e.getValue(), child, out);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.add(path + "/" + i);
        collect(node.get(i), path + "/" + i, out);
      }
    }
  }

  private static String parentOf(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  private static String last(String path) {
    return path.substring(path.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
  }

  private static void remove(ObjectNode doc, String path) {
    JsonNode parent = doc.at(parentOf(path));
    if (parent instanceof ObjectNode object) {
      object.remove(last(path));
    } else if (parent instanceof ArrayNode array) {
      array.remove(Integer.parseInt(last(path)));
    }
  }

  private static void replace(ObjectNode doc, String path, JsonNode value) {
    JsonNode parent = doc.at(parentOf(path));
    if (parent instanceof ObjectNode object) {
      object.set(last(path), value);
    } else if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(last(path)), value);
    }
  }

  /** A value from a jqwik arbitrary, drawn from this campaign's seeded random. */
  private <T> T value(Arbitrary<T> arbitrary) {
    return arbitrary.generator(100).next(random).value();
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private Result report(Duration took) {
    System.out.println();
    System.out.printf("[fuzz] %d documents (seed %d) in %d s%n", documents, seed, took.toSeconds());
    outcomes.forEach((o, n) -> System.out.printf("[fuzz]   %-66s %6d%n", o, n));
    System.out.printf("[fuzz]   %-66s %6d%n", "findings (5xx, unreadable message, no verdict, operator died)",
        findings.size());
    findings.stream().limit(40).forEach(f -> System.out.println("[fuzz] FINDING " + f));
    return new Result(Map.copyOf(outcomes), List.copyOf(findings));
  }
}
