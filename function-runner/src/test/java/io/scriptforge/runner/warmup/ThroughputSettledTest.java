package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When the warm-up may stop: a table of window-by-window throughputs (invocations per 1 s window). */
class ThroughputSettledTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a rate still climbing never settles", new long[] {300, 900, 2_000, 3_500, 5_000, 6_500}, false),
                Arguments.of("three windows in a row within 12% of the one before settle",
                        new long[] {300, 2_000, 5_000, 5_300, 5_100, 5_400}, true),
                Arguments.of("two stable windows are not enough", new long[] {300, 2_000, 5_000, 5_300, 5_100}, false),
                Arguments.of("a jump after a plateau starts the count again", new long[] {1_000, 1_050, 1_020, 3_000, 3_100, 3_050}, false),
                Arguments.of("the count goes on after the jump", new long[] {1_000, 1_050, 3_000, 3_100, 3_050, 3_000}, true),
                Arguments.of("a flat rate short of the minimum invocations does not settle", new long[] {100, 100, 100, 100, 100, 100}, false),
                Arguments.of("windows in which nothing answered are never stable", new long[] {0, 0, 0, 0, 0, 0}, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void settlesOnlyOnceThroughputStopsClimbing(String name, long[] windows, boolean settled) {
        assertThat(settledAfter(windows, SECOND, 1)).isEqualTo(settled);
        // Half-second windows with half the invocations are the same rates: the same verdict.
        assertThat(settledAfter(windows, Duration.ofMillis(500), 2)).isEqualTo(settled);
    }

    private static boolean settledAfter(long[] windows, Duration length, int divisor) {
        ThroughputSettled throughput = new ThroughputSettled(0.12, 3, 2_000 / divisor);
        boolean last = false;
        for (long invocations : windows) {
            last = throughput.add(invocations / divisor, length);
        }
        assertThat(throughput.lastRate()).isEqualTo((double) windows[windows.length - 1]);
        return last;
    }
}
