package io.scriptforge.it.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link TestCluster} for the whole test run, the first time a class needs it, keeps it in the root
 * context's store (so every IT class of the JVM shares it), and closes it when the run ends. Resolves
 * {@link TestCluster} and {@link KubernetesClient} parameters. Use it through {@link WithCluster}.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClusterExtension.class);

    /** The run's cluster, started on first use. */
    public static TestCluster cluster(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(SharedCluster.class, key -> new SharedCluster(), SharedCluster.class)
                .get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestCluster.class || type == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestCluster cluster = cluster(context);
        return parameter.getParameter().getType() == TestCluster.class ? cluster : cluster.client();
    }

    /** Starts the cluster once; a failed start is remembered, so later classes fail fast with the same cause. */
    private static final class SharedCluster implements AutoCloseable {
        private TestCluster cluster;
        private RuntimeException failure;

        synchronized TestCluster get() {
            if (failure != null) {
                throw new IllegalStateException("the test cluster failed to start earlier in this run", failure);
            }
            if (cluster == null) {
                try {
                    cluster = TestCluster.start();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return cluster;
        }

        @Override
        public synchronized void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
