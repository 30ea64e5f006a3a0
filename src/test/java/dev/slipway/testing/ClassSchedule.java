package dev.slipway.testing;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order IT classes are handed to JUnit's pool (failsafe's configuration), in three groups, each by name:
 * the classes that time the real node and run beside each other only ({@link RealNodeTiming}), then the
 * classes that load the CPU ({@link RealNodeTiming.Loaded}), then the classes that run alone
 * ({@code @Isolated}). Why this order: JUnit forks the concurrent classes in this order; idle lanes take them
 * from the start, while the lane that forked them runs them from the end. The two timing classes first are
 * the two that idle lanes pick up together; placed last, one of them went to the forking lane alone, and the
 * loaded classes queued behind its lock, so it ran by itself. JUnit runs the isolated classes itself, one
 * after the other, once every concurrent class has ended.
 *
 * <p>Every IT class must say which group it is in: a class that says nothing would run beside a timing class
 * and skew what it measures.
 */
public final class ClassSchedule implements ClassOrderer {
  enum Group { REAL_NODE_TIMING, LOADED, ISOLATED }

  @Override
  public void orderClasses(ClassOrdererContext context) {
    List<String> unscheduled = context.getClassDescriptors().stream().filter(d -> group(d) == null)
        .map(d -> d.getTestClass().getSimpleName()).toList();
    if (!unscheduled.isEmpty()) {
      throw new IllegalStateException("IT classes " + unscheduled + " say neither @RealNodeTiming.Loaded, "
          + "@ResourceLock(RealNodeTiming.…, READ_WRITE) nor @Isolated: see dev.slipway.testing.RealNodeTiming");
    }
    context.getClassDescriptors().sort(Comparator.comparing(ClassSchedule::group)
        .thenComparing(d -> d.getTestClass().getSimpleName()));
  }

  static Group group(ClassDescriptor descriptor) {
    if (descriptor.isAnnotated(Isolated.class)) {
      return Group.ISOLATED;
    }
    if (descriptor.isAnnotated(RealNodeTiming.Loaded.class)) {
      return Group.LOADED;
    }
    boolean timing = descriptor.findRepeatableAnnotations(ResourceLock.class).stream()
        .anyMatch(lock -> lock.value().equals(RealNodeTiming.SHOP) || lock.value().equals(RealNodeTiming.KUBELET));
    return timing ? Group.REAL_NODE_TIMING : null;
  }
}
