package io.scriptforge.runner.warmup;

import java.time.Duration;

/**
 * Tells when the warm-up has done its job: invocations per second stopped climbing and the compilers went
 * quiet. While the compilers still work, windows serve more and more; once the last {@code windows} windows
 * each served no more than {@code tolerance} above the best window before them, with both compilers quiet in
 * each, and at least {@code minInvocations} ran in all, more warm-up would buy little. A window slower than the
 * best (a busy neighbour on the node) still counts as settled when the compilers were quiet: only a climb, or
 * compiling, says the runner is still getting faster.
 */
final class WarmUpSettled {
    private final double tolerance;
    private final int windows;
    private final long minInvocations;
    private final double compilersQuiet;
    private double bestRate;
    private double lastRate;
    private int settledInARow;
    private long invocations;

    /**
     * @param tolerance      how far (0.12 = 12%) a window's rate may be above the best one before and count as settled
     * @param windows        settled windows in a row needed
     * @param minInvocations invocations needed in all, however flat the rate
     * @param compilersQuiet the most each compiler may be busy in a settled window (0.1 = a tenth of it)
     */
    WarmUpSettled(double tolerance, int windows, long minInvocations, double compilersQuiet) {
        this.tolerance = tolerance;
        this.windows = windows;
        this.minInvocations = minInvocations;
        this.compilersQuiet = compilersQuiet;
    }

    /** Records one window; true once the warm-up has settled. */
    boolean add(long windowInvocations, Duration length, CompilerActivity.Window compilers) {
        invocations += windowInvocations;
        lastRate = length.isZero() ? 0 : windowInvocations * 1e9 / length.toNanos();
        boolean climbing = bestRate == 0 || lastRate > (1 + tolerance) * bestRate;
        boolean settledWindow = lastRate > 0 && !climbing && compilers.quiet(compilersQuiet);
        settledInARow = settledWindow ? settledInARow + 1 : 0;
        bestRate = Math.max(bestRate, lastRate);
        return settled();
    }

    boolean settled() {
        return settledInARow >= windows && invocations >= minInvocations;
    }

    /** Invocations per second of the last window recorded. */
    double lastRate() {
        return lastRate;
    }
}
