package dev.slipway.testing;

/**
 * What IT classes share, for JUnit's parallel execution (failsafe runs classes concurrently, `it.parallelism`
 * at a time; the methods of one class run one after another). A class takes, with {@code @ResourceLock}:
 * <ul>
 *   <li>{@link #SHARED_OPERATOR} READ when its WebApps need {@link OperatorProcess#shared()} running, and
 *       READ_WRITE when it stops or kills that operator, or runs an operator of its own that must be the only
 *       one reconciling (the shared one watches every namespace);</li>
 *   <li>{@link #REAL_NODE} READ_WRITE when it runs pods on the real node whose timing it measures: a second
 *       app's pods there compete for the node's CPU and its 30 pod slots.</li>
 * </ul>
 * A class that disturbs the control plane itself (restarts etcd or the apiserver, crashes the cluster, or
 * measures CPU and latency) is {@code @Isolated} instead. A class without a lock touches neither: it checks
 * files, admission or a Prometheus of its own.
 */
public final class Locks {
  private Locks() {}

  public static final String SHARED_OPERATOR = "slipway.shared-operator";
  public static final String REAL_NODE = "slipway.real-node";
}
