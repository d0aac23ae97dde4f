package io.scriptforge.runner.warmup;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a warm-up did, so far or in all.
 *
 * @param invocations    invocations answered, whatever the answer
 * @param failed         requests that failed: answered with a 5xx, or not at all (each logged at debug)
 * @param took           since the warm-up started
 * @param lastWindowRate invocations per second in the last window measured
 * @param compilers      how busy the compilers were in the last window measured
 * @param settled        true when it ended because it settled, false at the cap
 * @param poolScripts    Scripts of the pool it warmed besides its own
 * @param skipped        Scripts of the pool not warmed (or dropped on the way), with why
 */
public record WarmUpReport(
        long invocations,
        long failed,
        Duration took,
        double lastWindowRate,
        CompilerActivity.Window compilers,
        boolean settled,
        int poolScripts,
        Map<String, String> skipped) {

    /**
     * The one line a warm-up logs, e.g. {@code warm-up: 41,200 invocations in 6.3 s, last window 9.8k/s, compilers busy
     * 0% (Truffle) and 3% (HotSpot) of it (...)}.
     */
    String summary() {
        return String.format(
                Locale.ROOT,
                "warm-up: %,d invocations in %.1f s, last window %s/s, compilers busy %s (Truffle) and %s (HotSpot)"
                        + " of it (%s; %s of the pool warmed, %d skipped%s%s)",
                invocations,
                took.toMillis() / 1000.0,
                rate(lastWindowRate),
                percent(compilers.truffle()),
                percent(compilers.hotspot()),
                settled ? "settled" : "stopped at its cap",
                poolScripts == 1 ? "1 Script" : poolScripts + " Scripts",
                skipped.size(),
                skipped.isEmpty() ? "" : ": " + skippedList(),
                failed == 0 ? "" : "; " + failed + " failed, see the debug log");
    }

    private String skippedList() {
        StringBuilder list = new StringBuilder();
        skipped.forEach((name, why) -> list.append(list.isEmpty() ? "" : ", ")
                .append(name)
                .append(" (")
                .append(why)
                .append(')'));
        return list.toString();
    }

    public static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    private static String rate(double perSecond) {
        return perSecond >= 1000
                ? String.format(Locale.ROOT, "%.1fk", perSecond / 1000)
                : String.format(Locale.ROOT, "%.0f", perSecond);
    }
}
