package io.scriptforge.runner;

import io.scriptforge.sandbox.JsEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Ready once the first load of Scripts is done (local mode: the directory read; cluster mode: the
 * informer's first list served), so traffic never meets a half-loaded runner. Liveness does not wait.
 */
@org.eclipse.microprofile.health.Readiness
@ApplicationScoped
public class ScriptsLoadedCheck implements HealthCheck {
    private volatile boolean loaded;
    private final java.util.List<Runnable> whenLoaded = new java.util.ArrayList<>();

    @Inject
    JsEngine engine;

    void markLoaded() {
        java.util.List<Runnable> waiting;
        synchronized (whenLoaded) {
            loaded = true;
            waiting = java.util.List.copyOf(whenLoaded);
            whenLoaded.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** Runs {@code action} once every Script of the first load is in: at once if they are already. */
    void whenLoaded(Runnable action) {
        synchronized (whenLoaded) {
            if (!loaded) {
                whenLoaded.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scripts-loaded")
                .status(loaded)
                .withData("jsRuntime", engine.runtimeName())
                .withData("optimizing", engine.isOptimizing())
                .build();
    }
}
