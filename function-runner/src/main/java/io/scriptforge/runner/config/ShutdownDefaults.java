package io.scriptforge.runner.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The default of {@code scriptforge.shutdown.drain-delay}, which depends on the mode: 5s in cluster mode, where
 * kube-proxy keeps sending new connections for a moment after SIGTERM; 0 locally. Below every other source, so any
 * value set in application.properties, the environment or a -D flag wins.
 */
public final class ShutdownDefaults implements ConfigSourceFactory {
    static final String DRAIN_DELAY = "scriptforge.shutdown.drain-delay";
    static final String CLUSTER_DRAIN_DELAY = "5s";
    static final String LOCAL_DRAIN_DELAY = "0s";
    /** Above the defaults of @WithDefault (Integer.MIN_VALUE), below application.properties (250). */
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue cluster = context.getValue("scriptforge.kubernetes.enabled");
        boolean clusterMode = cluster != null && "true".equalsIgnoreCase(cluster.getValue());
        return List.of(new PropertiesConfigSource(Map.of(DRAIN_DELAY, clusterMode ? CLUSTER_DRAIN_DELAY : LOCAL_DRAIN_DELAY),
                "scriptforge shutdown defaults", ORDINAL));
    }
}
