package dev.slipway.desired;

import dev.slipway.api.v1alpha1.Autoscaling;
import dev.slipway.api.v1alpha1.ServiceSpec;
import dev.slipway.api.v1alpha1.WebComponent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/** The web Services, PodDisruptionBudgets and HorizontalPodAutoscalers. */
public final class Traffic {
  private Traffic() {}

  /**
   * The web Service. With replica traffic it selects every track, so the canary's share of pods is its share
   * of requests; when an HTTPRoute weighs the tracks it selects the stable pods only, and under blue-green the
   * slot that serves.
   *
   * @param track the track it selects, or null for all of them
   */
  public static Service webService(Owner owner, WebComponent web, String track) {
    ServiceSpec s = web.service != null ? web.service : new ServiceSpec();
    return service(owner, Names.webService(owner.name()), track, s.type, s.port, s.annotations);
  }

  /** The blue-green preview: the slot that does not serve, for tests and gates before promotion. */
  public static Service webPreviewService(Owner owner, WebComponent web, String track) {
    return inClusterService(owner, web, Names.webPreviewService(owner.name()), track);
  }

  /** The canary's own Service, for an HTTPRoute to weigh against the web Service. */
  public static Service webCanaryService(Owner owner, WebComponent web) {
    return inClusterService(owner, web, Names.webCanaryService(owner.name()), Labels.CANARY);
  }

  /** A Service on one track of the web pods, in-cluster only: the web Service's port, none of its annotations. */
  private static Service inClusterService(Owner owner, WebComponent web, String name, String track) {
    Integer port = web.service != null ? web.service.port : new ServiceSpec().port;
    return service(owner, name, track, "ClusterIP", port, Map.of());
  }

  private static Service service(Owner owner, String name, String track, String type, Integer port,
      Map<String, String> annotations) {
    ObjectMeta meta = owner.meta(name, Labels.of(owner.name(), Component.WEB, null, track));
    meta.setAnnotations(Pods.emptyToNull(annotations));
    return new ServiceBuilder()
        .withMetadata(meta)
        .withNewSpec()
          .withType(type)
          .withSelector(track == null ? Labels.componentSelector(owner.name(), Component.WEB)
              : Labels.trackSelector(owner.name(), Component.WEB, track))
          .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(Pods.HTTP_PORT_NAME))
            .withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** A PDB across every track of a component, so a drain never takes more than maxUnavailable pods. */
  public static PodDisruptionBudget disruptionBudget(Owner owner, String component, IntOrString maxUnavailable) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(owner.meta(Names.deployment(owner.name(), component),
            Labels.of(owner.name(), component, null, null)))
        .withNewSpec()
          .withMaxUnavailable(maxUnavailable)
          .withNewSelector().withMatchLabels(Labels.componentSelector(owner.name(), component)).endSelector()
        .endSpec()
        .build();
  }

  /** An HPA on the Deployment of a component that serves: the stable one, or under blue-green the serving slot's. */
  public static HorizontalPodAutoscaler autoscaler(Owner owner, String component, Autoscaling autoscaling,
      String track) {
    String target = Names.deployment(owner.name(), component, track);
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(owner.meta(Names.deployment(owner.name(), component),
            Labels.of(owner.name(), component, null, null)))
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(target).endScaleTargetRef()
          .withMinReplicas(autoscaling.minReplicas)
          .withMaxReplicas(autoscaling.maxReplicas)
          .addNewMetric()
            .withType("Resource")
            .withNewResource().withName("cpu")
              .withNewTarget().withType("Utilization").withAverageUtilization(autoscaling.targetCPUUtilizationPercentage)
              .endTarget()
            .endResource()
          .endMetric()
        .endSpec()
        .build();
  }
}
