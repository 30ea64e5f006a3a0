package dev.slipway.rollout;

/**
 * What the Deployment controller reports about one component's Deployment.
 *
 * @param revision the slipway.dev/revision of its pod template
 * @param observed the controller has seen the latest spec (status.observedGeneration >= generation)
 * @param deadlineExceeded Progressing=False with reason ProgressDeadlineExceeded
 * @param replicaFailure why pods cannot be created (ReplicaFailure, e.g. refused by Pod Security), or null
 * @param terminatingReplicas pods shutting down (status.terminatingReplicas; 0 where the apiserver does not
 *     report it)
 */
public record DeploymentState(String revision, boolean observed, int desiredReplicas, int replicas,
    int updatedReplicas, int readyReplicas, int availableReplicas, boolean deadlineExceeded, String message,
    String replicaFailure, int terminatingReplicas) {

  public DeploymentState(String revision, boolean observed, int desiredReplicas, int replicas, int updatedReplicas,
      int readyReplicas, int availableReplicas, boolean deadlineExceeded, String message, String replicaFailure) {
    this(revision, observed, desiredReplicas, replicas, updatedReplicas, readyReplicas, availableReplicas,
        deadlineExceeded, message, replicaFailure, 0);
  }

  /** Asked for no pod and has none left, not even one shutting down. */
  public boolean stopped() {
    return observed && desiredReplicas == 0 && replicas == 0 && terminatingReplicas == 0;
  }

  /** Same test as `kubectl rollout status`: every pod updated, old pods gone, all updated pods available. */
  public boolean rolledOut() {
    return observed && updatedReplicas >= desiredReplicas && replicas == updatedReplicas
        && availableReplicas >= updatedReplicas;
  }

  public boolean rolledOutAt(String rev) {
    return rev.equals(revision) && rolledOut();
  }

  public boolean failedAt(String rev) {
    return rev.equals(revision) && observed && deadlineExceeded;
  }
}
