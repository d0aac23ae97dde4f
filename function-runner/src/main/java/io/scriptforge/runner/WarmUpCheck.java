package io.scriptforge.runner;

import io.scriptforge.runner.warmup.WarmUpProgress;
import io.scriptforge.runner.warmup.WarmUpReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the warm-up has ended (or when it is off), so a new replica joins its Service only once it serves
 * at warm speed. Its data says how far the warm-up got.
 */
@Readiness
@ApplicationScoped
public class WarmUpCheck implements HealthCheck {
    private final WarmUpProgress progress = new WarmUpProgress();

    /** What the warm-up moves on (WarmUpBeans hands it over). */
    WarmUpProgress progress() {
        return progress;
    }

    @Override
    public HealthCheckResponse call() {
        WarmUpProgress.State now = progress.state();
        WarmUpReport known = progress.report();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("warm-up")
                .status(progress.ready())
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
