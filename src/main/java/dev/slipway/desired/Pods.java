package dev.slipway.desired;

import dev.slipway.api.v1alpha1.ComponentSpec;
import dev.slipway.api.v1alpha1.ExecHealth;
import dev.slipway.api.v1alpha1.HttpHealth;
import dev.slipway.api.v1alpha1.PodTemplate;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WebComponent;
import dev.slipway.api.v1alpha1.WorkerComponent;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Pod templates of a revision: the shared podTemplate settings plus one component's container. */
public final class Pods {
  private Pods() {}

  static final String HTTP_PORT_NAME = "http";
  /** Startup probes poll this often; `startupSeconds` sets how many polls a starting pod gets. */
  static final int STARTUP_PERIOD_SECONDS = 10;

  public static PodTemplateSpec template(String app, WebAppSpec spec, Component component, String revision,
      String track) {
    Container container = container(spec, component.name(), component.spec(), probesFor(component));
    if (component.drainSeconds() > 0) {
      // The pod is removed from the Service's endpoints when it starts stopping; the pause keeps it serving
      // until kube-proxy and load balancers have noticed. A sleep action needs no binary in the image.
      container = new ContainerBuilder(container).withNewLifecycle().withNewPreStop().withNewSleep()
          .withSeconds((long) component.drainSeconds()).endSleep().endPreStop().endLifecycle().build();
    }
    return podTemplate(app, spec, component.name(), revision, track, container,
        component.terminationGracePeriodSeconds(), "Always", nullToEmpty(component.spec().podLabels), Map.of());
  }

  public static PodTemplateSpec migrateTemplate(String app, WebAppSpec spec, String revision) {
    Container shared = container(spec, Component.MIGRATE, null, Probes.NONE);
    Container container = new ContainerBuilder(shared)
        .withCommand(spec.migrate.command)
        .withArgs(emptyToNull(spec.migrate.args))
        .withResources(spec.migrate.resources)
        .withEnv(emptyToNull(withOverrides(nullToEmpty(shared.getEnv()), nullToEmpty(spec.migrate.env))))
        // After the shared sources: where both set a variable, the later source wins, as the kubelet reads them.
        .withEnvFrom(emptyToNull(Stream.concat(nullToEmpty(shared.getEnvFrom()).stream(),
            nullToEmpty(spec.migrate.envFrom).stream()).toList()))
        .build();
    return podTemplate(app, spec, Component.MIGRATE, revision, null, container, 30, "Never",
        nullToEmpty(spec.migrate.podLabels), nullToEmpty(spec.migrate.podAnnotations));
  }

  private static PodTemplateSpec podTemplate(String app, WebAppSpec spec, String component, String revision,
      String track, Container container, int gracePeriod, String restartPolicy, Map<String, String> componentLabels,
      Map<String, String> componentAnnotations) {
    PodTemplate shared = spec.podTemplate != null ? spec.podTemplate : new PodTemplate();
    Map<String, String> labels = new LinkedHashMap<>(nullToEmpty(shared.labels));
    labels.putAll(componentLabels);
    labels.putAll(Labels.of(app, component, revision, track));
    Map<String, String> annotations = new LinkedHashMap<>(nullToEmpty(shared.annotations));
    annotations.putAll(componentAnnotations);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(labels)
          .withAnnotations(emptyToNull(annotations))
        .endMetadata()
        .withSpec(new PodSpecBuilder()
            .withContainers(container)
            .withServiceAccountName(shared.serviceAccountName)
            .withImagePullSecrets(emptyToNull(shared.imagePullSecrets))
            .withNodeSelector(emptyToNull(shared.nodeSelector))
            .withTolerations(emptyToNull(shared.tolerations))
            .withAffinity(shared.affinity)
            .withTopologySpreadConstraints(emptyToNull(shared.topologySpreadConstraints))
            .withPriorityClassName(shared.priorityClassName)
            .withEnableServiceLinks(Boolean.TRUE.equals(shared.enableServiceLinks))
            .withSecurityContext(shared.securityContext)
            .withVolumes(emptyToNull(shared.volumes))
            .withTerminationGracePeriodSeconds((long) gracePeriod)
            .withRestartPolicy(restartPolicy)
            .build())
        .build();
  }

  private record Probes(Probe startup, Probe readiness, Probe liveness, Integer port) {
    static final Probes NONE = new Probes(null, null, null, null);
  }

  private static Probes probesFor(Component component) {
    return switch (component.role()) {
      case WEB -> webProbes((WebComponent) component.spec());
      case WORKER -> workerProbes(((WorkerComponent) component.spec()).health);
      case SCHEDULER -> Probes.NONE;
    };
  }

  private static Probes webProbes(WebComponent web) {
    HttpHealth h = web.health != null ? web.health : new HttpHealth();
    if (!Boolean.TRUE.equals(h.enabled)) {
      return new Probes(null, null, null, web.port);
    }
    // The kubelet polls once as the container starts and then every period, so the budget takes one poll
    // more than it has periods (40 s: at 0, 10, 20, 30 and 40 s). Found on the real node: with one poll
    // fewer, a pod got only 30 s.
    Probe startup = h.startupSeconds > 0 ? httpProbe(h, STARTUP_PERIOD_SECONDS,
        (h.startupSeconds + STARTUP_PERIOD_SECONDS - 1) / STARTUP_PERIOD_SECONDS + 1) : null;
    Probe readiness = httpProbe(h, h.periodSeconds, h.failureThreshold);
    // Liveness restarts a pod, which is drastic: same check, twice the patience of readiness.
    Probe liveness = httpProbe(h, h.periodSeconds, h.failureThreshold * 2);
    return new Probes(startup, readiness, liveness, web.port);
  }

  private static Probe httpProbe(HttpHealth h, int period, int failureThreshold) {
    // An empty host asks for the kubelet's own Host header: the pod IP.
    List<HTTPHeader> headers = h.host == null || h.host.isEmpty() ? null : List.of(new HTTPHeader("Host", h.host));
    return new ProbeBuilder()
        .withNewHttpGet().withPath(h.path).withPort(new IntOrString(HTTP_PORT_NAME)).withHttpHeaders(headers)
        .endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(h.timeoutSeconds)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static Probes workerProbes(ExecHealth h) {
    if (h == null) {
      return Probes.NONE;
    }
    Probe liveness = new ProbeBuilder()
        .withNewExec().withCommand(h.exec).endExec()
        .withPeriodSeconds(h.periodSeconds)
        .withTimeoutSeconds(h.timeoutSeconds)
        .withFailureThreshold(h.failureThreshold)
        .build();
    return new Probes(null, null, liveness, null);
  }

  /**
   * The shared variables with a component's own ones after them, one per name: the last one given wins, as in
   * a container. Server-side apply refuses a container with a variable twice (env is a list keyed by name).
   */
  static List<EnvVar> withOverrides(List<EnvVar> shared, List<EnvVar> own) {
    Map<String, EnvVar> merged = new LinkedHashMap<>();
    shared.forEach(e -> merged.put(e.getName(), e));
    own.forEach(e -> merged.put(e.getName(), e));
    return new ArrayList<>(merged.values());
  }

  private static Container container(WebAppSpec spec, String name, ComponentSpec component, Probes probes) {
    PodTemplate shared = spec.podTemplate != null ? spec.podTemplate : new PodTemplate();
    List<EnvVar> env = withOverrides(nullToEmpty(spec.env),
        component != null ? nullToEmpty(component.env) : List.of());
    ResourceRequirements resources = null;
    ContainerBuilder builder = new ContainerBuilder()
        .withName(name)
        .withImage(spec.image)
        .withImagePullPolicy(shared.imagePullPolicy);
    if (component != null) {
      builder.withCommand(emptyToNull(component.command)).withArgs(emptyToNull(component.args));
      resources = component.resources;
    }
    builder.withEnv(emptyToNull(env))
        .withEnvFrom(emptyToNull(spec.envFrom))
        .withResources(resources)
        .withVolumeMounts(emptyToNull(shared.volumeMounts))
        .withSecurityContext(shared.containerSecurityContext)
        .withStartupProbe(probes.startup())
        .withReadinessProbe(probes.readiness())
        .withLivenessProbe(probes.liveness());
    if (probes.port() != null) {
      builder.addNewPort().withName(HTTP_PORT_NAME).withContainerPort(probes.port()).withProtocol("TCP").endPort();
    }
    return builder.build();
  }

  /** True when the pods mount a PersistentVolumeClaim, which may be ReadWriteOnce. */
  static boolean mountsClaim(WebAppSpec spec) {
    PodTemplate shared = spec.podTemplate;
    if (shared == null || shared.volumes == null || shared.volumeMounts == null) {
      return false;
    }
    return shared.volumes.stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .anyMatch(v -> shared.volumeMounts.stream().anyMatch(m -> v.getName().equals(m.getName())));
  }

  static <T> List<T> emptyToNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }

  static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
