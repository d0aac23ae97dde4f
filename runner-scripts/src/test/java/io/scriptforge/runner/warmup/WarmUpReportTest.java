package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one line a warm-up logs. */
class WarmUpReportTest {
    @Test
    void aSettledWarmUpSaysHowManyInvocationsHowLongItsLastRateAndHowBusyTheCompilersWere() {
        WarmUpReport report = new WarmUpReport(
                41_200, 0, Duration.ofMillis(6_340), 9_812, new CompilerActivity.Window(0.0, 0.031), true, 1, Map.of());

        assertThat(report.summary())
                .isEqualTo(
                        "warm-up: 41,200 invocations in 6.3 s, last window 9.8k/s, compilers busy 0% (Truffle) and 3% (HotSpot) of it (settled; 1 Script of the pool warmed, 0 skipped)");
    }

    @Test
    void oneStoppedAtItsCapListsWhatItSkippedAndCountsItsFailures() {
        Map<String, String> skipped = new LinkedHashMap<>();
        skipped.put("shop/counter", "worker: its state persists between invocations");
        skipped.put("shop/broken", "not loaded");
        WarmUpReport report = new WarmUpReport(
                950, 12, Duration.ofSeconds(20), 48.4, new CompilerActivity.Window(0.85, 1.2), false, 3, skipped);

        assertThat(report.summary())
                .isEqualTo(
                        "warm-up: 950 invocations in 20.0 s, last window 48/s, compilers busy 85% (Truffle) and 120% (HotSpot) of it"
                                + " (stopped at its cap;"
                                + " 3 Scripts of the pool warmed, 2 skipped: shop/counter (worker: its state persists between invocations),"
                                + " shop/broken (not loaded); 12 failed, see the debug log)");
    }
}
