package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the warm-up may stop: a table of window-by-window throughputs (invocations per 1 s window) and how busy
 * the compilers were in each (the busier of the two, as a share of the window).
 */
class WarmUpSettledTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final double QUIET = 0.02;
    private static final double BUSY = 0.6;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "a rate still climbing never settles",
                        new long[] {300, 900, 2_000, 3_500, 5_000, 6_500},
                        quiet(6),
                        false),
                Arguments.of(
                        "three windows in a row no more than 12% above the best one before settle",
                        new long[] {300, 2_000, 5_000, 5_300, 5_100, 5_400}, quiet(6), true),
                Arguments.of(
                        "two settled windows are not enough",
                        new long[] {300, 2_000, 5_000, 5_300, 5_100},
                        quiet(5),
                        false),
                Arguments.of(
                        "a jump after a plateau starts the count again",
                        new long[] {1_000, 1_050, 1_020, 3_000, 3_100, 3_050},
                        quiet(6),
                        false),
                Arguments.of(
                        "the count goes on after the jump",
                        new long[] {1_000, 1_050, 3_000, 3_100, 3_050, 3_000},
                        quiet(6),
                        true),
                Arguments.of(
                        "a slower window (a busy neighbour) does not start the count again",
                        new long[] {300, 4_000, 5_000, 2_500, 5_100, 4_900},
                        quiet(6),
                        true),
                Arguments.of(
                        "a flat rate while a compiler is busy does not settle: a starved node's compile queue",
                        new long[] {400, 400, 400, 400, 400, 400, 400, 400},
                        new double[] {BUSY, BUSY, BUSY, BUSY, BUSY, BUSY, BUSY, BUSY},
                        false),
                Arguments.of(
                        "it settles once the compilers go quiet",
                        new long[] {400, 400, 400, 400, 400, 400, 400, 400},
                        new double[] {BUSY, BUSY, BUSY, BUSY, BUSY, QUIET, QUIET, QUIET},
                        true),
                Arguments.of(
                        "one busy window starts the count again",
                        new long[] {300, 2_000, 5_000, 5_300, 5_100, 5_400},
                        new double[] {BUSY, BUSY, QUIET, QUIET, BUSY, QUIET},
                        false),
                Arguments.of(
                        "a flat rate short of the minimum invocations does not settle",
                        new long[] {100, 100, 100, 100, 100, 100},
                        quiet(6),
                        false),
                Arguments.of(
                        "windows in which nothing answered are never settled",
                        new long[] {0, 0, 0, 0, 0, 0},
                        quiet(6),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void settlesOnlyOnceThroughputStopsClimbingAndTheCompilersAreQuiet(
            String name, long[] windows, double[] busy, boolean settled) {
        assertThat(settledAfter(windows, busy, SECOND, 1, false)).isEqualTo(settled);
        // Half-second windows with half the invocations are the same rates: the same verdict.
        assertThat(settledAfter(windows, busy, Duration.ofMillis(500), 2, false))
                .isEqualTo(settled);
        // Either compiler counts.
        assertThat(settledAfter(windows, busy, SECOND, 1, true)).isEqualTo(settled);
    }

    private static boolean settledAfter(
            long[] windows, double[] busy, Duration length, int divisor, boolean hotspotBusy) {
        WarmUpSettled warmUp = new WarmUpSettled(0.12, 3, 2_000 / divisor, 0.1);
        boolean last = false;
        for (int i = 0; i < windows.length; i++) {
            CompilerActivity.Window compilers = hotspotBusy
                    ? new CompilerActivity.Window(QUIET, busy[i])
                    : new CompilerActivity.Window(busy[i], QUIET);
            last = warmUp.add(windows[i] / divisor, length, compilers);
        }
        assertThat(warmUp.lastRate()).isEqualTo((double) windows[windows.length - 1]);
        return last;
    }

    private static double[] quiet(int windows) {
        double[] busy = new double[windows];
        Arrays.fill(busy, QUIET);
        return busy;
    }
}
