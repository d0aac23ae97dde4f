package io.scriptforge.runner;

import io.scriptforge.runner.sandbox.JsEngine;
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

    @Inject
    JsEngine engine;

    void markLoaded() {
        loaded = true;
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
