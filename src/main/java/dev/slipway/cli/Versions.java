package dev.slipway.cli;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** The plugin's version (from the build), and the operator's (from the Deployments the chart labels). */
final class Versions implements CommandLine.IVersionProvider {
  /** The chart's selector label on the operator Deployment (helm/slipway/templates/_helpers.tpl). */
  static final String OPERATOR_NAME_LABEL = "app.kubernetes.io/name";
  static final String VERSION_LABEL = "app.kubernetes.io/version";

  static String plugin() {
    try (InputStream in = Versions.class.getResourceAsStream("/slipway/version.properties")) {
      Properties properties = new Properties();
      properties.load(Objects.requireNonNull(in, "slipway/version.properties is part of the build"));
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"kubectl-slipway " + plugin()};
  }

  /** One line per operator Deployment: namespace/name, version, image, ready pods. */
  static List<String> operators(List<Deployment> deployments) {
    return deployments.stream().map(d -> {
      var labels = Objects.requireNonNullElse(d.getMetadata().getLabels(), java.util.Map.<String, String>of());
      var status = d.getStatus();
      int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
      return "operator " + labels.getOrDefault(VERSION_LABEL, "(no " + VERSION_LABEL + " label)") + " ("
          + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName() + ", image "
          + d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() + ", " + ready + "/"
          + Objects.requireNonNullElse(d.getSpec().getReplicas(), 1) + " ready)";
    }).toList();
  }

  @CommandLine.Command(name = "version", description = "The plugin's version, and the version of each Slipway "
      + "operator Deployment in the cluster (found by its chart labels).")
  static class Command implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      out.println("kubectl-slipway " + plugin());
      List<Deployment> deployments;
      try {
        deployments = cluster.client().apps().deployments().inAnyNamespace()
            .withLabel(OPERATOR_NAME_LABEL, "slipway").list().getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw cluster.explain(e, "list", "deployments");
        }
        // Knowing the plugin's version is worth an answer even to someone the cluster tells little.
        out.println("operator: unknown (no permission to list deployments in every namespace)");
        return ExitCode.OK.code();
      }
      if (deployments.isEmpty()) {
        out.println("operator: no Deployment labelled " + OPERATOR_NAME_LABEL + "=slipway (installed otherwise, "
            + "or run as a process outside the cluster, as `make run` does)");
      }
      operators(deployments).forEach(out::println);
      return ExitCode.OK.code();
    }
  }
}
