package dev.slipway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A concurrent IT class that takes minutes (over 80 s in `make test-times`): {@link IsolatedTogether} hands it to
 * the pool before the short ones, so that it runs beside them instead of ending the concurrent phase alone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StartsEarly {}
