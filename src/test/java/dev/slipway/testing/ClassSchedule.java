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
 * the classes that load the CPU ({@link RealNodeTiming.Loaded}), then the classes that time the real node and
 * run beside each other only ({@link RealNodeTiming}), then the classes that run alone ({@code @Isolated}). A class
 * that waits for a lock holds a lane of the pool until it gets it; one placed between the others would idle
 * the other lanes each time. (The pool decides which end of this order it starts from: with one thread it
 * takes the last first.)
 *
 * <p>Every IT class must say which group it is in: a class that says nothing would run beside a timing class
 * and skew what it measures.
 */
public final class ClassSchedule implements ClassOrderer {
  enum Group { LOADED, REAL_NODE_TIMING, ISOLATED }

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
