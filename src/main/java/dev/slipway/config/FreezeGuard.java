package dev.slipway.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Fencing for a leader that was frozen (SIGSTOP, a stalled VM, a long pause): while it did not run, its Lease
 * may have expired and another replica may lead. A heartbeat ticks every second; a write is allowed only if
 * the heartbeat is fresh, and a gap longer than {@link #MAX_GAP_NANOS} ends the process before it writes
 * anything, so the new leader stays the only writer. The restart that follows loses nothing: all state is
 * in the cluster.
 */
public final class FreezeGuard {
  private static final Logger LOG = Logger.getLogger(FreezeGuard.class);
  /** Well below the lease duration (10 s): a replica that ran this recently still held its Lease. */
  static final long MAX_GAP_NANOS = TimeUnit.SECONDS.toNanos(4);

  private static volatile long lastTick;

  void start(@Observes StartupEvent event) {
    lastTick = System.nanoTime();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "slipway-freeze-guard");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(FreezeGuard::tick, 1, 1, TimeUnit.SECONDS);
  }

  private static void tick() {
    checkBeforeWrite();
    lastTick = System.nanoTime();
  }

  /** Call before every write to the cluster. A no-op until the guard started (e.g. in unit tests). */
  public static void checkBeforeWrite() {
    long last = lastTick;
    long gap = System.nanoTime() - last;
    if (last != 0 && gap > MAX_GAP_NANOS) {
      LOG.warnf("the operator did not run for %d ms and may no longer lead: exiting before any write",
          TimeUnit.NANOSECONDS.toMillis(gap));
      Runtime.getRuntime().halt(3);
    }
  }
}
