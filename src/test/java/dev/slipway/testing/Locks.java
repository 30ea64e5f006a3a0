package dev.slipway.testing;

/**
 * What IT classes share, for JUnit's parallel execution: failsafe runs classes concurrently, `it.parallelism`
 * at a time (pom.xml), and the methods of one class one after another. Each class has its own namespace and,
 * if it asks, its own operator watching only that namespace ({@link OperatorProcess#of}), so a class may
 * kill, stop or freeze its operator, or run operators of its own, beside the others. What is left to share:
 * <ul>
 *   <li>{@link #REAL_NODE}, taken READ_WRITE by a class that times pods on the real node (probes, drains,
 *       canaries under load): a second app's pods there compete for the node's CPU and its 30 pod slots.</li>
 * </ul>
 * A class that disturbs the whole control plane (restarts etcd or the apiserver, crashes the cluster, runs an
 * operator that watches every namespace) or measures CPU and latency is {@code @Isolated} instead.
 */
public final class Locks {
  private Locks() {}

  public static final String REAL_NODE = "slipway.real-node";
}
