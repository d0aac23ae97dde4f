package io.scriptforge.runner.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tries again what failed because the database did not answer: after 1 s, then twice as long after each
 * failure, at most 30 s apart, on a thread of its own so that nobody waits for it.
 */
public final class DatabaseRetries implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DatabaseRetries.class);
    public static final Duration FIRST = Duration.ofSeconds(1);
    public static final Duration MOST = Duration.ofSeconds(30);

    /** One try: true when it is over (it worked, or is no longer wanted), false to be tried again later. */
    public interface Attempt {
        boolean over();
    }

    private final ScheduledExecutorService timer;

    /** @param name names the thread, e.g. "scriptforge-app-restarts" */
    public DatabaseRetries(String name) {
        this.timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
    }

    /** Runs {@code attempt} after the first wait, and again after each longer wait until it is over (or this is closed). */
    public void retry(Attempt attempt) {
        schedule(attempt, FIRST);
    }

    private void schedule(Attempt attempt, Duration wait) {
        try {
            timer.schedule(
                    () -> {
                        if (!overOrFailed(attempt)) {
                            schedule(attempt, longer(wait));
                        }
                    },
                    wait.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the runner stops: nothing more is tried
        }
    }

    /** An attempt that throws is tried again too: a bug in one must not end the retries for good. */
    private static boolean overOrFailed(Attempt attempt) {
        try {
            return attempt.over();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a retry of database work failed");
            return false;
        }
    }

    static Duration longer(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(MOST) > 0 ? MOST : doubled;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
