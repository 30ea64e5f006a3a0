package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Connects to the local control plane through $KUBECONFIG, gives each test class its own namespace
 * (deleted after it) and its own operator if it asks for one ({@link OperatorProcess#of}, stopped after it),
 * and on failure prints that namespace's events, pods, Deployments and Jobs.
 */
public class ClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    KubernetesClient client = Cluster.client();
    Cluster.ensureCrds();
    String name = "it-" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]", "") + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    Map<String, String> labels = labelsFor(context);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
    context.getStore(STORE).put("namespace", new TestNamespace(name));
  }

  private static Map<String, String> labelsFor(ExtensionContext context) {
    PodSecurity ps = context.getRequiredTestClass().getAnnotation(PodSecurity.class);
    return ps == null ? Map.of("slipway.dev/test", "true")
        : Map.of("slipway.dev/test", "true", "pod-security.kubernetes.io/enforce", ps.value());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestNamespace ns = context.getStore(STORE).get("namespace", TestNamespace.class);
    if (ns != null) {
      OperatorProcess.stopOf(ns);
    }
    if (ns != null && !"true".equals(System.getenv("SLIPWAY_KEEP_NAMESPACES"))) {
      Cluster.client().namespaces().withName(ns.name()).delete();
    }
    // The operator must never log an error or a stack trace while the tests drive it, failures included.
    List<String> unexpected = OperatorProcess.unexpectedLogLines();
    if (!unexpected.isEmpty()) {
      throw new AssertionError("the operator logged errors:\n" + String.join("\n",
          unexpected.subList(0, Math.min(40, unexpected.size()))));
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    TestNamespace ns = context.getStore(STORE).get("namespace", TestNamespace.class);
    if (ns != null) {
      System.out.println(describe(ns.name()));
    }
  }

  /** Events, pods, Deployments and Jobs of a namespace, as text for a failure report. */
  public static String describe(String namespace) {
    KubernetesClient client = Cluster.client();
    StringBuilder out = new StringBuilder("\n===== namespace " + namespace + " at failure =====\n");
    try {
      out.append("-- events\n");
      client.v1().events().inNamespace(namespace).list().getItems().stream()
          .sorted(Comparator.comparing(e -> Objects.requireNonNullElse(e.getLastTimestamp(), "")))
          .forEach((Event e) -> out.append(String.format("%s %s %s/%s %s: %s%n", e.getLastTimestamp(), e.getType(),
              e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getReason(), e.getMessage())));
      out.append("-- deployments\n");
      for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
        var st = d.getStatus();
        out.append(String.format("%s revision=%s replicas=%s status: replicas=%s updated=%s ready=%s available=%s "
            + "conditions=%s%n", d.getMetadata().getName(),
            d.getSpec().getTemplate().getMetadata().getLabels().get("slipway.dev/revision"), d.getSpec().getReplicas(),
            st.getReplicas(), st.getUpdatedReplicas(), st.getReadyReplicas(), st.getAvailableReplicas(),
            st.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "(" + c.getReason() + ")")
                .toList()));
      }
      out.append("-- jobs\n");
      for (Job j : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
        out.append(String.format("%s conditions=%s%n", j.getMetadata().getName(), j.getStatus().getConditions()
            .stream().map(c -> c.getType() + "=" + c.getStatus() + "(" + c.getReason() + ": " + c.getMessage() + ")")
            .toList()));
      }
      out.append("-- pods\n");
      for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
        out.append(String.format("%s phase=%s ready=%s revision=%s%s%n", p.getMetadata().getName(),
            p.getStatus().getPhase(), PodStates.ready(p), p.getMetadata().getLabels().get("slipway.dev/revision"),
            p.getMetadata().getDeletionTimestamp() != null ? " terminating" : ""));
      }
      out.append("-- webapps\n");
      client.genericKubernetesResources("slipway.dev/v1alpha1", "WebApp").inNamespace(namespace).list().getItems()
          .forEach(w -> out.append(w.getMetadata().getName()).append(" ").append(w.getAdditionalProperties()
              .get("status")).append('\n'));
    } catch (RuntimeException e) {
      out.append("(could not describe: ").append(e).append(")\n");
    }
    return out.toString();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNamespace.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == KubernetesClient.class) {
      return Cluster.client();
    }
    // Stores are looked up through parents, so a test method sees its class's namespace.
    return context.getStore(STORE).get("namespace", TestNamespace.class);
  }
}
