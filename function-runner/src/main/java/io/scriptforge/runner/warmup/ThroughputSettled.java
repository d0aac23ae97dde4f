package io.scriptforge.runner.warmup;

import java.time.Duration;

/**
 * Tells when the warm-up has done its job: invocations per second stopped climbing. While the compilers
 * still work, each window serves clearly more than the one before; once the last {@code windows}
 * windows each stay within {@code tolerance} of their predecessor, and at least {@code minInvocations}
 * ran in all, more warm-up would buy little.
 */
final class ThroughputSettled {
    private final double tolerance;
    private final int windows;
    private final long minInvocations;
    private double previousRate = -1;
    private double lastRate;
    private int stableInARow;
    private long invocations;

    /**
     * @param tolerance      how far (0.12 = 12%) a window's rate may be from the previous one's and count as stable
     * @param windows        stable windows in a row needed
     * @param minInvocations invocations needed in all, however flat the rate
     */
    ThroughputSettled(double tolerance, int windows, long minInvocations) {
        this.tolerance = tolerance;
        this.windows = windows;
        this.minInvocations = minInvocations;
    }

    /** Records one window; true once throughput has settled. */
    boolean add(long windowInvocations, Duration length) {
        invocations += windowInvocations;
        lastRate = length.isZero() ? 0 : windowInvocations * 1e9 / length.toNanos();
        boolean stable = previousRate > 0 && Math.abs(lastRate - previousRate) <= tolerance * previousRate;
        stableInARow = stable ? stableInARow + 1 : 0;
        previousRate = lastRate;
        return settled();
    }

    boolean settled() {
        return stableInARow >= windows && invocations >= minInvocations;
    }

    /** Invocations per second of the last window recorded. */
    double lastRate() {
        return lastRate;
    }
}
