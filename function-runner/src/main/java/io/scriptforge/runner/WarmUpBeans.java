package io.scriptforge.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.warmup.WarmUp;
import io.scriptforge.runner.warmup.WarmUpGate;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.ScriptCompiler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.Readiness;

/**
 * Wires the warm-up: it starts once the first load of Scripts is in and the HTTP port is open (Quarkus
 * opens it after the startup observers), on a thread of its own, and readiness waits for its end.
 */
@ApplicationScoped
public class WarmUpBeans {
    private final CompletableFuture<HttpServerOptions> listening = new CompletableFuture<>();
    private final AtomicReference<WarmUp> running = new AtomicReference<>();

    @Produces
    @Singleton
    WarmUpGate gate(JsEngine engine, ObjectMapper json, RunnerConfig config) {
        Duration cap = config.warmup().maxDuration();
        return WarmUpGate.withBuiltInScript(
                new ScriptCompiler(engine, json, RunnerBeans.execHost(), config.defaultTimeout(), config.maxTimeout()),
                cap.compareTo(config.maxTimeout()) < 0 ? cap : config.maxTimeout());
    }

    /** Quarkus fires it asynchronously once the HTTP port is bound. */
    void listening(@ObservesAsync HttpServerStart start) {
        listening.complete(start.options());
    }

    void start(
            @Observes StartupEvent event,
            RunnerConfig config,
            @Readiness ScriptsLoadedCheck loaded,
            @Readiness WarmUpCheck check,
            WarmUpGate gate,
            ScriptRegistry registry,
            Invoker invoker,
            ObjectMapper json,
            Vertx vertx,
            HttpServer server) {
        // Two requests in flight per JavaScript thread: one runs while the other's answer is written and the next one
        // parsed.
        WarmUp warmUp = new WarmUp(
                new WarmUp.Settings(config.warmup().maxDuration(), 2 * invoker.threads()),
                gate,
                registry::all,
                json,
                vertx,
                check.progress());
        if (!config.warmup().enabled()) {
            warmUp.disabled();
            return;
        }
        running.set(warmUp);
        loaded.whenLoaded(() -> listening.thenAcceptAsync(
                options -> warmUp.run(WarmUp.loopbackFor(options.getHost()), server.getPort()),
                task -> Thread.ofPlatform().daemon().name("scriptforge-warm-up").start(task)));
    }

    void stop(@Observes ShutdownEvent event) {
        WarmUp warmUp = running.getAndSet(null);
        if (warmUp != null) {
            warmUp.stop();
        }
    }
}
