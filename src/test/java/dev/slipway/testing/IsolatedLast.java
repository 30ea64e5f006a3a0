package dev.slipway.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The order IT classes start in (failsafe's JUnit configuration): the classes that run alone ({@code @Isolated})
 * after all the others, by name within each group. When IT classes run concurrently, an isolated class waits
 * until every running class has ended; placed between the others, each one would idle the other lanes.
 */
public final class IsolatedLast implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator
        .comparing((ClassDescriptor d) -> d.findAnnotation(Isolated.class).isPresent())
        .thenComparing(d -> d.getTestClass().getSimpleName()));
  }
}
