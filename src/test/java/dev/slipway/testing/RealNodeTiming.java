package dev.slipway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Which IT classes share the two cores with which. ShopIT and RealNodeIT time what the kubelet, kube-proxy and
 * the shop do on the real node (a 5 s drain, beat ticks 2 s apart, a 20 s liveness ping). Beside the classes on
 * kwok's nodes, whose operators, apiserver and etcd kept the load average at 10 to 16, those timings broke;
 * beside each other they hold. So each timing class takes a lock of its own exclusively, and every class
 * that loads the CPU ({@link Loaded}) takes both shared: the two timing classes run together, never beside
 * a loaded one. (JUnit's read-write locks cannot say "A with A, B with B, never A with B" with one lock.)
 */
public final class RealNodeTiming {
  /** Taken exclusively by ShopIT. */
  public static final String SHOP = "the CPU while ShopIT times the shop";
  /** Taken exclusively by RealNodeIT. */
  public static final String KUBELET = "the CPU while RealNodeIT times the kubelet and kube-proxy";

  /** A class that loads the CPU: it runs beside other loaded classes, never beside a timing class. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @ResourceLock(value = SHOP, mode = ResourceAccessMode.READ)
  @ResourceLock(value = KUBELET, mode = ResourceAccessMode.READ)
  public @interface Loaded {}

  private RealNodeTiming() {}
}
