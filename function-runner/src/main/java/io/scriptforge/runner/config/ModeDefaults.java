package io.scriptforge.runner.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The defaults that depend on the mode. Below every other source, so any value set in application.properties, the
 * environment or a -D flag wins.
 * <ul>
 * <li>{@code scriptforge.shutdown.drain-delay}: 5s in cluster mode, where kube-proxy keeps sending new connections
 * for a moment after SIGTERM; 0 locally.</li>
 * <li>{@code quarkus.http.host}: every interface of a pod; only 127.0.0.1 on a developer's machine.</li>
 * <li>{@code scriptforge.control.auth}: Kubernetes reviews of bearer tokens in a cluster; locally the token the
 * runner wrote at start.</li>
 * </ul>
 */
public final class ModeDefaults implements ConfigSourceFactory {
    static final String DRAIN_DELAY = "scriptforge.shutdown.drain-delay";
    static final String HTTP_HOST = "quarkus.http.host";
    static final String CONTROL_AUTH = "scriptforge.control.auth";
    /** Above the defaults of @WithDefault (Integer.MIN_VALUE), below application.properties (250). */
    private static final int ORDINAL = 10;

    private static final Map<String, String> CLUSTER =
            Map.of(DRAIN_DELAY, "5s", HTTP_HOST, "0.0.0.0", CONTROL_AUTH, "kubernetes");
    private static final Map<String, String> LOCAL =
            Map.of(DRAIN_DELAY, "0s", HTTP_HOST, "127.0.0.1", CONTROL_AUTH, "token");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue cluster = context.getValue("scriptforge.kubernetes.enabled");
        boolean clusterMode = cluster != null && "true".equalsIgnoreCase(cluster.getValue());
        return List.of(new PropertiesConfigSource(clusterMode ? CLUSTER : LOCAL, "scriptforge mode defaults", ORDINAL));
    }
}
