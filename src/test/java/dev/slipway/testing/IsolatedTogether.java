package dev.slipway.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The order IT classes are handed to JUnit's pool (failsafe's configuration): the classes that run alone
 * ({@code @Isolated}) next to each other, the others by name, the long ones ({@link StartsEarly}) first. An
 * isolated class waits until every running class has ended; one placed between the others would idle the other
 * lanes each time. (The pool decides which end of this order it starts from: idle lanes take from the start,
 * the lane that forked the classes from the end; with one thread it takes the last first.)
 */
public final class IsolatedTogether implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator
        .comparing((ClassDescriptor d) -> d.findAnnotation(Isolated.class).isPresent())
        .thenComparing(d -> d.findAnnotation(StartsEarly.class).isEmpty())
        .thenComparing(d -> d.getTestClass().getSimpleName()));
  }
}
