package dev.slipway.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.net.ConnectException;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The options kubectl users expect, with kubectl's meaning: --kubeconfig, --context, -n, -A, --as. */
public class ClusterOptions {
  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
  String kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use.")
  String context;

  @Option(names = {"-n", "--namespace"}, description = "The namespace (default: the context's, then default).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace (list only).")
  boolean allNamespaces;

  @Option(names = "--as", paramLabel = "USER", description = "Act as this user (impersonation, as kubectl --as).")
  String as;

  @Option(names = "--as-group", paramLabel = "GROUP", description = "Act as a member of this group (repeatable).")
  String[] asGroups;

  private KubernetesClient client;

  /** The kubeconfig file this invocation reads, for messages. */
  String kubeconfigPath() {
    if (kubeconfig != null) {
      return kubeconfig;
    }
    String env = System.getenv("KUBECONFIG");
    return env != null && !env.isBlank() ? env : System.getProperty("user.home") + "/.kube/config";
  }

  KubernetesClient client() {
    if (client == null) {
      if (asGroups != null && as == null) { // kubectl refuses this too: a group is impersonated with its user
        throw new CliException("--as-group needs --as: impersonation acts as a user, and --as-group adds the "
            + "groups that user is taken to be in");
      }
      String path = kubeconfigPath();
      if (!new File(path.split(File.pathSeparator)[0]).isFile()) {
        throw new CliException("no cluster: kubeconfig " + path + " does not exist");
      }
      if (kubeconfig != null) {
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
      }
      Config config = Config.autoConfigure(context);
      if (context != null && (config.getCurrentContext() == null
          || !context.equals(config.getCurrentContext().getName()))) {
        throw new CliException("no context " + context + " in kubeconfig " + path);
      }
      if (as != null) { // fabric8 reads no `as` from a kubeconfig, so only the flags impersonate
        config.setImpersonateUsername(as);
        config.setImpersonateGroups(asGroups);
      }
      config.setRequestTimeout(15_000);
      config.setRequestRetryBackoffLimit(0);
      config.setConnectionTimeout(5_000);
      client = new KubernetesClientBuilder().withConfig(config).build();
    }
    return client;
  }

  String namespace() {
    return namespace != null ? namespace : Objects.requireNonNullElse(client().getNamespace(), "default");
  }

  /** One line for an API failure: what was refused, or where the cluster could not be reached. */
  RuntimeException explain(KubernetesClientException e, String verb, String resource) {
    if (e.getCode() == 403) {
      return new CliException("no permission: cannot " + verb + " " + resource + " in namespace " + namespace()
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? " (" + e.getStatus().getMessage() + ")" : ""));
    }
    if (e.getCode() == 401) {
      return new CliException("not authenticated to the cluster of kubeconfig " + kubeconfigPath());
    }
    Throwable cause = e;
    while (cause != null && !(cause instanceof ConnectException)) {
      cause = cause.getCause();
    }
    if (cause != null || e.getCode() == 0) {
      return new CliException("no cluster: cannot reach " + client().getMasterUrl() + " (kubeconfig "
          + kubeconfigPath() + ")");
    }
    return new CliException(verb + " " + resource + " failed: " + e.getMessage());
  }
}
