package dev.slipway.chaos;

import dev.slipway.testing.Cluster;
import dev.slipway.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Two operator processes on one Lease, as the chart runs them: one leads, one stands by. The campaign kills
 * them, arms them to die between two writes, and makes the standby take over.
 */
final class Operators implements AutoCloseable {
  static final String LEASE = "slipway-chaos";

  /** One replica: its identity never changes across restarts, as a pod's name would not. */
  final class Slot {
    final String identity;
    OperatorProcess process;
    /** The process was started to halt after this many writes; 0 when not armed. */
    int armedAfterWrites;

    Slot(String identity) {
      this.identity = identity;
    }

    void start(int haltAfterWrites, boolean lead) {
      Map<String, String> env = new HashMap<>(Map.of("SLIPWAY_LEADER_ELECTION_LEASE_NAME", LEASE,
          "SLIPWAY_LEADER_ELECTION_IDENTITY", identity, "QUARKUS_OPERATOR_SDK_NAMESPACES", namespace));
      if (haltAfterWrites > 0) {
        env.put("SLIPWAY_FAULT_HALT_AFTER_WRITES", String.valueOf(haltAfterWrites));
      }
      armedAfterWrites = haltAfterWrites;
      process = new OperatorProcess(env, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      started.add(process);
      process.launch();
      if (lead) {
        process.awaitReadyUnlessItExits();
      } else {
        process.awaitAlive();
      }
    }
  }

  private final KubernetesClient client = Cluster.client();
  private final List<OperatorProcess> started = new ArrayList<>();
  private final String namespace;
  private final Random random;
  final Slot a = new Slot("chaos-a");
  final Slot b = new Slot("chaos-b");
  /** Processes that died by their armed fault, each right after the N-th write of its life. */
  final Map<Integer, Integer> haltsByWrite = new HashMap<>();

  Operators(String namespace, Random random) {
    this.namespace = namespace;
    this.random = random;
    a.start(0, true);
    b.start(0, false);
  }

  /** The slot holding the Lease, or null while that cannot be read (the apiserver is restarting). */
  Slot leader() {
    try {
      Lease lease = client.leases().inNamespace("default").withName(LEASE).get();
      String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
      return a.identity.equals(holder) ? a : b.identity.equals(holder) ? b : null;
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  Slot other(Slot slot) {
    return slot == a ? b : a;
  }

  /** kill -9 the leader and start it again at once, half the time armed to die right after one of its next writes. */
  boolean killLeader() {
    Slot leader = leader();
    if (leader == null) {
      return false;
    }
    leader.process.kill();
    leader.start(random.nextBoolean() ? 1 + random.nextInt(6) : 0, true);
    return true;
  }

  /** kill -9 the leader and leave it down until the standby leads; the time the standby took, or null. */
  Duration failover() {
    Slot leader = leader();
    if (leader == null) {
      return null;
    }
    Slot standby = other(leader);
    if (standby.armedAfterWrites > 0) {
      // A restart slower than the lease left an armed process standing by; it would halt right after taking
      // over, and the failover would time a restart instead. Fail over to a plain one.
      standby.process.kill();
      standby.start(0, false);
    }
    leader.process.kill();
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(40).toNanos();
    try {
      while (leader() != standby) {
        if (!standby.process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the standby " + standby.identity + (standby.process.isAlive()
              ? " did not take the Lease within 40 s" : " exited with " + standby.process.exitCode())
              + "; its log tail:\n" + standby.process.tail(40));
        }
        Chaos.sleep(100);
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      leader.start(0, false);
    }
  }

  /** Restarted leaders that found the standby had taken the Lease meanwhile, and halted. */
  int leaseLosses;
  /** Exits nobody caused: an operator that dies on its own is a finding, not a fault we injected. */
  final List<String> unexpectedExits = new ArrayList<>();

  /** Restarts every process that died: by its armed fault (counted), or on its own (a finding). */
  void reviveExited() {
    for (Slot slot : List.of(a, b)) {
      if (!slot.process.isAlive()) {
        if (slot.armedAfterWrites > 0) {
          haltsByWrite.merge(slot.armedAfterWrites, 1, Integer::sum);
        } else if (slot.process.tail(5).contains("lost the Lease: halting")) {
          // A restart slower than the lease (a JVM start on a loaded machine): the standby took the Lease and
          // this process halted, as designed. Counted; the invariants judge whether any app suffered.
          leaseLosses++;
        } else {
          unexpectedExits.add(slot.identity + " exited with " + slot.process.exitCode() + "; log tail:\n"
              + slot.process.tail(30));
        }
        Slot leader = leader();
        slot.start(0, leader == slot || leader == null);
      }
    }
  }

  /** Disarms both processes (restarting any armed one), so the end of the campaign runs undisturbed. */
  void disarm() {
    reviveExited();
    for (Slot slot : List.of(a, b)) {
      if (slot.armedAfterWrites > 0) {
        boolean leads = leader() == slot;
        slot.process.kill();
        slot.start(0, leads);
      }
    }
  }

  /**
   * Log entries reporting an error or carrying a stack trace, except those every IT expects (work cut short by
   * a stop) and those about the connection to the apiserver, which the campaign breaks on purpose. The logs are moved out of the ones every IT scans.
   */
  List<String> unexpectedLogEntries() {
    List<String> found = new ArrayList<>();
    for (OperatorProcess process : started) {
      for (String entry : OperatorProcess.unexpectedEntries(process.setLogAside())) {
        if (!CONNECTION.matcher(entry).find()) {
          found.add("operator log: " + headAndCauses(entry));
        }
      }
    }
    return found;
  }

  /** An entry's first lines and every "Caused by" line, so a finding names its root cause. */
  private static String headAndCauses(String entry) {
    List<String> lines = entry.lines().toList();
    return Stream.concat(lines.stream().limit(4), lines.stream().skip(4).filter(line -> line.startsWith("Caused by")))
        .collect(Collectors.joining("\n"));
  }

  /** What a restart of kube-apiserver or etcd makes the client and JOSDK report. */
  private static final Pattern CONNECTION = Pattern.compile(
      "Connection (reset|was closed|refused)|Failed to connect|etcdserver|the server is currently unable"
          + "|apiserver is shutting down|Closed by peer|timed out|Network is unreachable");

  @Override
  public void close() {
    a.process.stop();
    b.process.stop();
  }
}
