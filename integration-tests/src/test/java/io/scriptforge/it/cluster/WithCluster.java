package io.scriptforge.it.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against the shared {@link TestCluster}: declare a {@link TestCluster} or
 * {@code KubernetesClient} parameter on a constructor, {@code @BeforeAll}/{@code @BeforeEach} or test method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClusterExtension.class)
public @interface WithCluster {}
