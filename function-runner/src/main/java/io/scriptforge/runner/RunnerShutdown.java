package io.scriptforge.runner;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.gateway.ShutdownGate;
import io.scriptforge.runner.tasks.RunnerTasks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * How a runner leaves when its pod is replaced, so that a rollout loses no request. On SIGTERM, Quarkus' pre-shutdown
 * (quarkus.shutdown.delay-enabled) turns readiness DOWN at once, then calls {@link #drain}, which holds the shutdown
 * until the work is done: for the drain delay every answer closes its connection and idle connections are closed
 * ({@link ShutdownGate}), so clients reconnect, through the Service, to other pods; then new requests are refused,
 * App sessions end with 1001 (going away), the scheduler stops taking ticks and jobs, and what is in flight
 * (requests, ticks, jobs) gets the shutdown timeout to finish. Only then does Quarkus stop the HTTP server.
 * <p>
 * Not quarkus.shutdown.delay and quarkus.shutdown.timeout: the wait for requests in flight has to come after the
 * delay and before the HTTP server stops, where only Quarkus' own graceful filter waits, and that filter counts a
 * WebSocket upgrade as a request in flight for good, so a runner that ever served an AppWebsocket would wait its
 * whole timeout.
 */
@ApplicationScoped
public class RunnerShutdown {
    private static final Logger LOG = Logger.getLogger(RunnerShutdown.class);
    /** How often the drain looks for idle connections, and how long one must have been idle to be closed. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(250);

    private static final Duration IDLE_QUIET = Duration.ofSeconds(1);
    /** How long the sessions' clients get to answer their close frames while the server is still up. */
    private static final Duration SESSIONS_CLOSE_WAIT = Duration.ofSeconds(2);

    static final String GOING_AWAY = "the runner is shutting down: connect again, another replica serves the app";

    @Inject
    RunnerConfig config;

    @Inject
    ShutdownGate gate;

    @Inject
    AppRegistry apps;

    @Inject
    RunnerTasks tasks;

    private final AtomicBoolean workStopped = new AtomicBoolean();
    private final CompletableFuture<Void> tasksStopped = new CompletableFuture<>();
    private volatile CompletableFuture<Void> sessionsEnded = CompletableFuture.completedFuture(null);

    /**
     * Refuses negative durations, and makes SIGTERM a normal exit: the JVM's own handling runs the same shutdown but
     * exits with 143. Not in tests, whose JVM is not the runner's.
     */
    void start(@Observes StartupEvent event) {
        RunnerConfig.Shutdown shutdown = config.shutdown();
        for (Map.Entry<String, Duration> setting : Map.of(
                        "drain-delay", shutdown.drainDelay(), "timeout", shutdown.timeout())
                .entrySet()) {
            if (setting.getValue().isNegative()) {
                throw new IllegalArgumentException(
                        "scriptforge.shutdown." + setting.getKey() + " must be 0 or more, not " + setting.getValue());
            }
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }

    /** Quarkus' pre-shutdown, readiness already DOWN: returns once the runner has drained and its work is done or cut. */
    void drain(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        Duration delay = config.shutdown().drainDelay();
        gate.startDraining();
        if (delay.isPositive()) {
            LOG.infof(
                    "stopping: not ready, serving on for %s (scriptforge.shutdown.drain-delay) with every connection closed after its answer",
                    delay);
            closeIdleConnectionsFor(delay);
        }
        stopTakingWork();
        Duration timeout = config.shutdown().timeout();
        int unanswered = gate.awaitAnswered(timeout);
        if (unanswered > 0) {
            LOG.warnf(
                    "stopping: %d requests still in flight after %s (scriptforge.shutdown.timeout) are cut",
                    unanswered, timeout);
        }
        // db-scheduler waits the timeout for running executions, interrupts them, and waits as long again at most.
        await(tasksStopped, timeout.multipliedBy(2).plusSeconds(5), "the scheduler to stop");
        await(sessionsEnded, SESSIONS_CLOSE_WAIT, "the App sessions' clients to answer their close frames");
    }

    /** A stop without the pre-shutdown phase still takes no new work before the beans close. */
    void stopped(@Observes ShutdownEvent event) {
        stopTakingWork();
    }

    private void closeIdleConnectionsFor(Duration delay) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0; left = end - System.nanoTime()) {
            int closed = gate.closeIdleConnections(IDLE_QUIET);
            if (closed > 0) {
                LOG.debugf("drain: closed %d idle connections", closed);
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, IDLE_CHECK.toNanos())));
        }
    }

    /** After the drain: no new request, no App session, no new tick or job. */
    private void stopTakingWork() {
        if (!workStopped.compareAndSet(false, true)) {
            return;
        }
        LOG.infof(
                "stopping: new requests refused; the work in flight has %s to finish (scriptforge.shutdown.timeout)",
                config.shutdown().timeout());
        gate.refuseNewRequests();
        sessionsEnded = apps.endSessions(GOING_AWAY);
        Thread.ofPlatform().name("scriptforge-tasks-stop").start(() -> {
            try {
                tasks.stopRunning();
            } finally {
                tasksStopped.complete(null);
            }
        });
    }

    private static void await(CompletableFuture<Void> done, Duration bound, String what) {
        try {
            done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("stopping: gave up waiting for %s after %s", what, bound);
        } catch (ExecutionException e) {
            LOG.warnf("stopping: waiting for %s failed: %s", what, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
