package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pod settings shared by every component of a WebApp. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PodTemplate {
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("ServiceAccount the pods run as.")
  public String serviceAccountName;

  @Size(max = 20)
  @ValidationRule(value = "self.all(s, !has(s.name) || size(s.name) <= 253)",
      message = "imagePullSecrets names are at most 253 characters")
  @JsonPropertyDescription("Secrets to pull the image with.")
  public List<LocalObjectReference> imagePullSecrets;

  @Pattern("^(Always|IfNotPresent|Never)$")
  @JsonPropertyDescription("Always, IfNotPresent or Never.")
  public String imagePullPolicy;

  @JsonPropertyDescription("Labels a node must have to run the pods.")
  public Map<String, String> nodeSelector;
  @JsonPropertyDescription("Taints the pods tolerate (core/v1 Toleration).")
  public List<Toleration> tolerations;
  @JsonPropertyDescription("Node and pod affinity of the pods (core/v1 Affinity).")
  public Affinity affinity;
  @JsonPropertyDescription("How the pods spread across zones and nodes (core/v1 TopologySpreadConstraint).")
  public List<TopologySpreadConstraint> topologySpreadConstraints;
  @JsonPropertyDescription("PriorityClass of the pods.")
  public String priorityClassName;

  @JsonPropertyDescription("Put every Service of the namespace into the pods' environment, as Docker links did "
      + "(POSTGRES_PORT=tcp://10.96.0.5:5432 for a Service named postgres). Off by default: such variables "
      + "collide with settings a Django app reads (POSTGRES_PORT as the port); find Services by DNS name.")
  // No schema default: a stored WebApp keeps its spec, and so its revision, when this field arrives.
  public Boolean enableServiceLinks;

  @JsonPropertyDescription("Pod-level security context.")
  public PodSecurityContext securityContext;

  @JsonPropertyDescription("Security context of every container Slipway generates.")
  public SecurityContext containerSecurityContext;

  @Size(max = 50)
  @JsonPropertyDescription("Volumes of every pod (core/v1 Volume); mount them with volumeMounts.")
  public List<Volume> volumes;

  @Size(max = 50)
  @ValidationRule(value = "self.all(m, !has(m.mountPath) || size(m.mountPath) <= 4096)", message = "a mountPath is at most 4096 characters")
  @JsonPropertyDescription("Mounts of `volumes`, in every component's container. A component whose pods mount a "
      + "PersistentVolumeClaim is updated stop-first unless its updateStrategy says otherwise.")
  public List<VolumeMount> volumeMounts;

  @JsonPropertyDescription("Extra labels on every pod (the slipway.dev and app.kubernetes.io labels win).")
  public Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Extra annotations on every pod.")
  public Map<String, String> annotations = new LinkedHashMap<>();
}
