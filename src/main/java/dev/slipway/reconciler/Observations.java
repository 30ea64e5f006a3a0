package dev.slipway.reconciler;

import dev.slipway.desired.Labels;
import dev.slipway.rollout.DeploymentState;
import dev.slipway.rollout.JobState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Objects;
import java.util.Optional;

/** Reads what the Deployment and Job controllers report into the planner's terms. */
final class Observations {
  private Observations() {}

  static DeploymentState of(Deployment d) {
    DeploymentStatus s = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
    Optional<DeploymentCondition> progressing = condition(s, "Progressing");
    boolean deadlineExceeded = progressing
        .filter(c -> "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason()))
        .isPresent();
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    long observedGeneration = Objects.requireNonNullElse(s.getObservedGeneration(), 0L);
    String revision = d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.REVISION);
    return new DeploymentState(revision, observedGeneration >= generation,
        Objects.requireNonNullElse(d.getSpec().getReplicas(), 1), orZero(s.getReplicas()),
        orZero(s.getUpdatedReplicas()), orZero(s.getReadyReplicas()), orZero(s.getAvailableReplicas()),
        deadlineExceeded, progressing.map(DeploymentCondition::getMessage).orElse(null),
        condition(s, "ReplicaFailure").filter(c -> "True".equals(c.getStatus())).map(DeploymentCondition::getMessage)
            .orElse(null), orZero(s.getTerminatingReplicas()));
  }

  static JobState of(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return JobState.RUNNING;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
        return new JobState(true, false, null);
      }
      if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
        return new JobState(false, true, "Job " + job.getMetadata().getName() + " failed (" + c.getReason() + "): "
            + c.getMessage());
      }
    }
    return JobState.RUNNING;
  }

  /** The most restarts of one container of the pod. */
  static int restarts(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).max().orElse(0);
  }

  private static Optional<DeploymentCondition> condition(DeploymentStatus s, String type) {
    return s.getConditions() == null ? Optional.empty()
        : s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
