package io.scriptforge.runner.sources;

import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.app.LocalApps;
import io.scriptforge.runner.registry.ScriptRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Local mode: the Scripts and Apps of a directory, loaded at once and then hot-reloaded as its files change. */
final class LocalSources implements RunnerSources {
    private final Path dir;
    private final ScriptRegistry registry;
    private final LocalApps apps;
    private final SecretValues secrets;
    private DirectoryLoader loader;

    LocalSources(Path dir, ScriptRegistry registry, AppRegistry apps, SecretValues secrets) {
        this.dir = dir;
        this.registry = registry;
        this.apps = new LocalApps(apps);
        this.secrets = secrets;
    }

    /** Loads the whole directory before it returns: the stage is complete. */
    @Override
    public synchronized CompletionStage<Void> start() throws IOException {
        secrets.readFrom(apps);
        loader = new DirectoryLoader(dir, registry, apps);
        loader.start();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void close() throws IOException {
        if (loader != null) {
            loader.close();
            loader = null;
        }
    }

    @Override
    public String toString() {
        return "local mode (" + dir + ")";
    }
}
