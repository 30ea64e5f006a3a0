package dev.slipway.testing;

import io.fabric8.kubernetes.api.model.Pod;

/** What tests ask of a pod's state. */
public final class PodStates {
  private PodStates() {}

  public static boolean notTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean ready(Pod pod) {
    return notTerminating(pod) && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Pods that exist and run (or will): not terminating, not finished. */
  public static boolean running(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return notTerminating(pod) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
