package io.scriptforge.it.cluster;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until something holds: the one waiting primitive of the integration tests (no sleeps in tests). */
public final class Await {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Await() {}

    /**
     * Calls {@code probe} until it returns a non-null value, and returns that value. An exception thrown by the
     * probe counts as "not yet"; the last one is the cause of the {@link AssertionError} thrown after
     * {@code timeout}, whose message names {@code what}. An {@link Error} (a failed assertion) ends the wait at once.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        return until(what, timeout, INTERVAL, probe);
    }

    /** {@link #until(String, Duration, Supplier)}, polling every {@code interval}: for what is timed to tens of milliseconds. */
    public static <T> T until(String what, Duration timeout, Duration interval, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what
                                + (last == null ? "" : ": " + last),
                        last);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** {@link #until(String, Duration, Supplier)} for a condition. */
    public static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }

    /** {@link #until(String, Duration, Duration, Supplier)} for a condition. */
    public static void untilTrue(String what, Duration timeout, Duration interval, Supplier<Boolean> condition) {
        until(what, timeout, interval, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }
}
