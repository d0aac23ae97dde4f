package io.scriptforge.it.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class on the real node, with the platform installed there once for the whole run by
 * {@code helm install} ({@link Platform}): declare a {@link Platform} parameter on a constructor or method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PlatformExtension.class)
public @interface OnRealNode {}
