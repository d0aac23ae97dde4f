package io.scriptforge.runner.app;

import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.db.DatabaseRetries;

/**
 * Starts again an App whose database did not answer, each time {@link DatabaseRetries} says, until it answers (or
 * the App is applied anew or removed, which starts or stops it by itself). The start runs outside the registry's
 * lock, as the database may take its time to answer.
 */
final class AppRestart implements DatabaseRetries.Attempt {
    private final AppRegistry registry;
    private final AppPlatform platform;
    private final String key;
    private final AppManifest manifest;
    private AppRuntime waiting;

    AppRestart(AppRegistry registry, AppPlatform platform, String key, AppManifest manifest, AppRuntime waiting) {
        this.registry = registry;
        this.platform = platform;
        this.key = key;
        this.manifest = manifest;
        this.waiting = waiting;
    }

    @Override
    public boolean over() {
        if (!registry.serves(key, waiting)) {
            return true;
        }
        AppRuntime next = platform.start(manifest, waiting.fingerprint());
        if (!registry.replace(key, waiting, next)) {
            next.close();
            return true;
        }
        waiting = next;
        return !next.waitsForDatabase();
    }
}
