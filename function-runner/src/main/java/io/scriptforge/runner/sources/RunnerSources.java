package io.scriptforge.runner.sources;

import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.schedule.ScriptSchedules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Where a runner's Scripts and Apps come from, one strategy per mode: a directory it watches (local mode), the
 * API server it follows (cluster mode), or nothing.
 */
public interface RunnerSources extends AutoCloseable {
    /** Starts loading; completes once the first complete set is loaded, when the runner may become ready. */
    CompletionStage<Void> start() throws IOException;

    /** Stops loading; the Scripts and Apps loaded stay served. Safe to call more than once. */
    @Override
    void close() throws IOException;

    /** The mode the configuration asks for; both at once is refused, naming the two settings. */
    static RunnerSources of(
            RunnerConfig config,
            ScriptRegistry registry,
            AppRegistry apps,
            SecretValues secrets,
            ScriptSchedules schedules) {
        boolean localMode = config.dir().isPresent() && !config.dir().get().isBlank();
        if (localMode && config.kubernetes().enabled()) {
            throw new IllegalStateException(
                    "both local mode (scriptforge.dir=" + config.dir().get() + ") and cluster mode"
                            + " (scriptforge.kubernetes.enabled=true) are configured: a runner serves a directory or a namespace, not both;"
                            + " unset scriptforge.dir (SCRIPTFORGE_DIR) or scriptforge.kubernetes.enabled (SCRIPTFORGE_KUBERNETES_ENABLED)");
        }
        if (config.kubernetes().enabled()) {
            return new ClusterSources(config.kubernetes(), registry, apps, secrets, schedules);
        }
        if (localMode) {
            return new LocalSources(Path.of(config.dir().get()), registry, apps, secrets);
        }
        return new NoSources();
    }

    /** Neither mode configured: the runner serves nothing, and says so. */
    final class NoSources implements RunnerSources {
        private static final Logger LOG = Logger.getLogger(NoSources.class);

        @Override
        public CompletionStage<Void> start() {
            LOG.info("no scriptforge.dir and scriptforge.kubernetes.enabled=false: serving no Scripts");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "no sources";
        }
    }
}
