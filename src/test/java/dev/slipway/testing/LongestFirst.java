package dev.slipway.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order IT classes start in (failsafe's JUnit configuration): the classes that hold the real node first,
 * because one after another they are the longest chain of the run and should overlap everything else; the
 * classes that must run alone last, so that they do not hold back the concurrent ones; the rest in between,
 * by name.
 */
public final class LongestFirst implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparingInt(LongestFirst::rank)
        .thenComparing(descriptor -> descriptor.getTestClass().getSimpleName()));
  }

  private static int rank(ClassDescriptor descriptor) {
    if (descriptor.findAnnotation(Isolated.class).isPresent()) {
      return 2;
    }
    boolean realNode = descriptor.findRepeatableAnnotations(ResourceLock.class).stream()
        .anyMatch(lock -> Locks.REAL_NODE.equals(lock.value()));
    return realNode ? 0 : 1;
  }
}
