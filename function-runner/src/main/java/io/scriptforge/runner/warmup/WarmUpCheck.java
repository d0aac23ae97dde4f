package io.scriptforge.runner.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the warm-up has ended (or when it is off), so a new replica joins its Service only
 * once it serves at warm speed. Its data says how far the warm-up got.
 */
@Readiness
@ApplicationScoped
public class WarmUpCheck implements HealthCheck {
    /** Where the warm-up is: waiting for the first load and the HTTP port, running, done, or off. */
    public enum State {
        WAITING,
        RUNNING,
        DONE,
        OFF
    }

    private volatile State state = State.WAITING;
    private volatile WarmUpReport report;

    void off() {
        state = State.OFF;
    }

    void running(WarmUpReport progress) {
        report = progress;
        state = State.RUNNING;
    }

    void done(WarmUpReport all) {
        report = all;
        state = State.DONE;
    }

    public State state() {
        return state;
    }

    @Override
    public HealthCheckResponse call() {
        State now = state;
        WarmUpReport known = report;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("warm-up")
                .status(now == State.DONE || now == State.OFF)
                .withData("state", now.name().toLowerCase(Locale.ROOT));
        if (known != null) {
            response.withData("invocations", known.invocations())
                    .withData("failed", known.failed())
                    .withData(
                            "seconds",
                            String.format(Locale.ROOT, "%.1f", known.took().toMillis() / 1000.0))
                    .withData("lastWindowPerSecond", Math.round(known.lastWindowRate()))
                    .withData(
                            "truffleCompilerBusy",
                            WarmUpReport.percent(known.compilers().truffle()))
                    .withData(
                            "hotspotCompilerBusy",
                            WarmUpReport.percent(known.compilers().hotspot()))
                    .withData("settled", known.settled())
                    .withData("poolScripts", known.poolScripts())
                    .withData("skipped", known.skipped().size());
        }
        return response.build();
    }
}
