package io.scriptforge.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.app.session.LiveSessions;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.egress.EgressLimits;
import io.scriptforge.runner.egress.EgressPolicy;
import io.scriptforge.runner.egress.VertxHostHttp;
import io.scriptforge.runner.egress.VertxHostSockets;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.invoke.InvokerOptions;
import io.scriptforge.runner.invoke.JobsGlobal;
import io.scriptforge.runner.invoke.ScriptServices;
import io.scriptforge.runner.kv.KvStore;
import io.scriptforge.runner.kv.ScriptKv;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.sources.RunnerSources;
import io.scriptforge.runner.sources.SecretValues;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.ScriptCompiler;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/** Wires the runner's parts together; each part stays a plain class, testable without CDI. */
@ApplicationScoped
public class RunnerBeans {
    private static final Logger LOG = Logger.getLogger(RunnerBeans.class);

    @Produces
    @Singleton
    JsEngine engine() {
        return new JsEngine();
    }

    void closeEngine(@Disposes JsEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    ScriptLogs logs(RunnerConfig config) {
        return new ScriptLogs(config.logLines());
    }

    @Produces
    @Singleton
    Invoker invoker(
            JsEngine engine,
            RunnerConfig config,
            ScriptLogs logs,
            ObjectMapper json,
            ScriptRegistry registry,
            KvStore kv,
            JobsGlobal jobs,
            Vertx vertx) {
        // twice the cores: a tenant's share (half) still fills every core, and the other half stays for the others,
        // time-sliced by the kernel, while a runaway holds its share
        int threads = config.jsThreads().orElse(2 * Runtime.getRuntime().availableProcessors());
        InvokerOptions options = new InvokerOptions(
                threads,
                config.jsQueueCapacity(),
                config.contextsPerScript(),
                config.waitingPerScript(),
                config.memoryBudgetBytes(),
                config.workerMemoryBudgetBytes(),
                config.jsThreadsPerScript().orElse(InvokerOptions.defaultShare(threads)),
                config.jsThreadsPerNamespace().orElse(InvokerOptions.defaultShare(threads)));
        RunnerConfig.Egress egress = config.egress();
        EgressPolicy policy = EgressPolicy.of(
                egress.allowHosts().orElse(List.of()), egress.allowCidrs().orElse(List.of()));
        LOG.infof(
                "egress of the Scripts' modules: hosts %s, extra CIDRs %s (private, loopback and link-local ranges refused otherwise)",
                policy.allowHosts().isEmpty() ? "any" : policy.allowHosts(), policy.allowCidrs());
        EgressLimits limits = new EgressLimits(egress.maxRequestBytes(), egress.maxResponseBytes(), egress.timeout());
        ScriptServices services = new ScriptServices(
                logs,
                registry::module,
                new ScriptKv(kv, json),
                jobs,
                new VertxHostHttp(vertx, policy, limits),
                new VertxHostSockets(vertx, policy, limits));
        Invoker invoker = new Invoker(engine, options, json, services);
        registry.onCompiled(invoker); // before any source loads: start() below needs the invoker first
        return invoker;
    }

    /** The scripts' kv store: its table is made on first use; expired keys are purged every minute once it is used. */
    @Produces
    @Singleton
    KvStore kv(RunnerDatabase database) {
        KvStore kv = new KvStore(database);
        kv.startPurging(java.time.Duration.ofMinutes(1));
        return kv;
    }

    void closeKv(@Disposes KvStore kv) {
        kv.close();
    }

    void closeInvoker(@Disposes Invoker invoker) {
        invoker.close();
    }

    @Produces
    @Singleton
    ScriptRegistry registry(JsEngine engine, RunnerConfig config, ObjectMapper json) {
        return new ScriptRegistry(
                new ScriptCompiler(engine, json, execHost(), config.defaultTimeout(), config.maxTimeout()));
    }

    @Produces
    @Singleton
    RunnerDatabase database(RunnerConfig config) {
        return new RunnerDatabase(
                config.database(),
                !config.kubernetes().enabled(),
                config.database().appMaxConnections());
    }

    void closeDatabase(@Disposes RunnerDatabase database) {
        database.close();
    }

    @Produces
    @Singleton
    AppPlatform appPlatform(RunnerDatabase database, JsEngine engine, ObjectMapper json, RunnerConfig config) {
        return new AppPlatform(
                database,
                engine,
                json,
                new AppPlatform.Settings(
                        execHost(),
                        config.apps().maxFileBytes(),
                        config.apps().serviceCallTimeout(),
                        config.apps().statementTimeout(),
                        config.apps().maxMessageBytes()));
    }

    void closeAppPlatform(@Disposes AppPlatform platform) {
        platform.close();
    }

    @Produces
    @Singleton
    AppRegistry apps(AppPlatform platform, ObjectMapper json, RunnerConfig config) {
        // The API server sorts object keys; YAML read from a directory keeps them as written.
        return new AppRegistry(platform, json, !config.kubernetes().enabled());
    }

    void closeApps(@Disposes AppRegistry apps) {
        apps.close();
    }

    @Produces
    @Singleton
    SecretValues secretValues() {
        return new SecretValues();
    }

    /** Where the Scripts and Apps come from: the mode the configuration asks for. */
    @Produces
    @Singleton
    RunnerSources sources(
            RunnerConfig config,
            ScriptRegistry registry,
            AppRegistry apps,
            SecretValues secrets,
            io.scriptforge.runner.schedule.ScriptSchedules schedules) {
        return RunnerSources.of(config, registry, apps, secrets, schedules);
    }

    void start(
            @Observes StartupEvent event,
            RunnerSources sources,
            ScriptRegistry registry,
            Invoker invoker,
            AppRegistry apps,
            AppPlatform platform,
            @org.eclipse.microprofile.health.Readiness ScriptsLoadedCheck readiness,
            Vertx vertx)
            throws IOException {
        long started = System.nanoTime();
        vertx.setPeriodic(
                LiveSessions.REFRESH_SECONDS * 1000L,
                id -> Thread.ofVirtual().start(() -> platform.refreshSessions(apps.all())));
        CompletableFuture<Void> loaded = sources.start().toCompletableFuture();
        if (loaded.isDone() && !loaded.isCompletedExceptionally()) {
            markReady(started, registry, invoker, readiness); // local mode: loaded already, ready before start ends
            return;
        }
        // Not ready until the first load is complete; startup (and liveness) does not wait for it.
        loaded.whenCompleteAsync(
                (done, failure) -> {
                    if (failure != null) {
                        LOG.errorf(
                                "%s stopped before its first complete load (%s): the runner stays not ready",
                                sources, failure.getMessage());
                    } else {
                        markReady(started, registry, invoker, readiness);
                    }
                },
                task -> Thread.ofPlatform()
                        .daemon()
                        .name("scriptforge-first-sync")
                        .start(task));
    }

    private static void markReady(
            long started, ScriptRegistry registry, Invoker invoker, ScriptsLoadedCheck readiness) {
        try {
            invoker.awaitWarmUps(java.time.Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readiness.markLoaded();
        LOG.infof(
                "%d Scripts loaded and warm in %d ms",
                registry.all().size(), (System.nanoTime() - started) / 1_000_000);
    }

    void stop(@Observes ShutdownEvent event, RunnerSources sources) throws IOException {
        sources.close();
    }

    /**
     * Which runner process ran a tick or a job: host, pid and start time, as several runners may share a host and a
     * restarted container is the same host with the same pid (1) again.
     */
    static String runnerName() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(BOOTED).truncatedTo(ChronoUnit.MILLIS);
        return execHost() + "/" + self.pid() + "@" + started;
    }

    private static final Instant BOOTED = Instant.now();

    /** The runner's host name, as scripts see it in EXEC_HOST. */
    static String execHost() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
