package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * How a runner pod starts, is watched and stops, so that rollouts and scale-downs lose no request. The runner
 * drains on SIGTERM: Ready goes down at once, it goes on serving (with {@code Connection: close}) for a drain delay
 * while every node's kube-proxy drops the pod, then waits a bounded time for the invocations in flight, and exits.
 */
final class RunnerLifecycle {
    /** How long a draining runner keeps serving after SIGTERM (the runner's drain delay). */
    static final int DRAIN_DELAY_SECONDS = 5;
    /** How long, at most, it then waits for the invocations in flight (the runner's own bound). */
    static final int IN_FLIGHT_SECONDS = 30;
    /** The JVM's shutdown after that (HTTP server, database pools, informers) before the kubelet's SIGKILL. */
    static final int SHUTDOWN_MARGIN_SECONDS = 10;
    /**
     * 45 s. Not derived from the pool's sandbox maxTimeout (up to 15m): the runner stops waiting after its in-flight
     * bound whatever its Scripts' timeouts, so a longer grace period would only make every rollout and node drain
     * wait longer for a runner that hangs.
     */
    static final long TERMINATION_GRACE_SECONDS = DRAIN_DELAY_SECONDS + IN_FLIGHT_SECONDS + SHUTDOWN_MARGIN_SECONDS;
    /**
     * A new runner stays Ready this long before a rollout takes an old one away: one that fails right after its
     * first Ready costs no capacity, and every kube-proxy has its endpoint by then.
     */
    static final int MIN_READY_SECONDS = 5;

    /** Every 2 s: a warm runner takes traffic soon, and a draining one is out of the Service within the drain delay. */
    static final int READINESS_PERIOD_SECONDS = 2;

    static final int READINESS_FAILURES = 2;
    /**
     * A first start may be slow: JVM start, then the runner warms its JIT until it serves at full speed (at most
     * 120 s, its scriptforge.warmup.max-duration) before it reports ready, on 2 shared cores, slower still on a node
     * busy enough to make the autoscaler add runners. Liveness and readiness wait for it: 5 s + 100 x 2 s = 205 s.
     */
    static final int STARTUP_DELAY_SECONDS = 5;

    static final int STARTUP_FAILURES = 100;
    /** Liveness restarts the runner: 30 s without an answer, not a busy moment under load. */
    static final int LIVENESS_PERIOD_SECONDS = 10;

    static final int LIVENESS_FAILURES = 3;
    private static final int PROBE_TIMEOUT_SECONDS = 2;

    private RunnerLifecycle() {}

    static Probe startup() {
        return probe("/q/health/ready", STARTUP_DELAY_SECONDS, READINESS_PERIOD_SECONDS, STARTUP_FAILURES);
    }

    static Probe readiness() {
        return probe("/q/health/ready", 0, READINESS_PERIOD_SECONDS, READINESS_FAILURES);
    }

    static Probe liveness() {
        return probe("/q/health/live", 0, LIVENESS_PERIOD_SECONDS, LIVENESS_FAILURES);
    }

    private static Probe probe(String path, int initialDelaySeconds, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withNewPort(RunnerPoolNames.HTTP_PORT_NAME)
                .endHttpGet()
                .withInitialDelaySeconds(initialDelaySeconds)
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
