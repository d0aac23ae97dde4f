package io.scriptforge.runner.jobs;

import java.time.Duration;

/**
 * How a job is retried and when it first runs.
 *
 * @param attempts how many times it may start, 1..{@link #MAX_ATTEMPTS}
 * @param delay    how long it waits before its first attempt
 * @param backoff  the wait after the first failed attempt; it doubles after each further one, up to {@link #MAX_BACKOFF}
 */
public record JobOptions(int attempts, Duration delay, Duration backoff) {
    public static final int MAX_ATTEMPTS = 25;
    public static final Duration MAX_DELAY = Duration.ofDays(30);
    public static final Duration MAX_BACKOFF = Duration.ofHours(1);
    public static final JobOptions DEFAULT = new JobOptions(1, Duration.ZERO, Duration.ofSeconds(1));

    public JobOptions {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new JobException("attempts must be between 1 and " + MAX_ATTEMPTS + ", not " + attempts);
        }
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new JobException(
                    "delay must be between 0 and " + MAX_DELAY.toMillis() + " ms, not " + delay.toMillis());
        }
        if (backoff.isNegative() || backoff.compareTo(MAX_BACKOFF) > 0) {
            throw new JobException(
                    "backoff must be between 0 and " + MAX_BACKOFF.toMillis() + " ms, not " + backoff.toMillis());
        }
    }

    /** The wait before attempt {@code failed + 1}, after attempt {@code failed} failed: exponential, capped. */
    public static Duration backoffAfter(long backoffMillis, int failed) {
        long factor = 1L << Math.min(failed - 1, 30);
        long millis = backoffMillis > MAX_BACKOFF.toMillis() / factor ? MAX_BACKOFF.toMillis() : backoffMillis * factor;
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }
}
