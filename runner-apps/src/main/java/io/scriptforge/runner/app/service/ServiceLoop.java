package io.scriptforge.runner.app.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One app's event loop: the only thread that enters the app's JavaScript context, running one
 * entry at a time (like Node's). Every entry is bounded: past the limit the running code is
 * interrupted, and the next entry starts only once that interruption is over.
 */
final class ServiceLoop {
    private static final Logger LOG = Logger.getLogger(ServiceLoop.class);
    /** How long an interrupted entry may take to unwind before the context must be closed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * The clock of every app: timers and deadlines only post work, so one thread serves them all.
     * Cancelled tasks are removed at once, so cleared timers do not pile up until their time.
     */
    static final ScheduledThreadPoolExecutor CLOCK = clock();

    /** Stops the code running in the context; false when it did not stop within the grace. */
    interface Interrupter {
        boolean interrupt(Duration grace);
    }

    private final String appName;
    private final Duration limit;
    private final ExecutorService thread;
    private final Interrupter interrupter;
    private final Object lock = new Object();
    private Entry current;
    private CompletableFuture<Boolean> stopping;

    /** Work for the app thread; {@code what} names it in logs (e.g. "a timer callback"). */
    record Entry(String what, Runnable body, Duration limit) {}

    ServiceLoop(String appName, Duration limit, Interrupter interrupter) {
        this.appName = appName;
        this.limit = limit;
        this.interrupter = interrupter;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
                .name("sf-app-" + appName.replace('/', '-'))
                .daemon()
                .unstarted(r));
    }

    Duration limit() {
        return limit;
    }

    /**
     * Queues {@code body} for the app thread; false when the loop is shut down (the work is dropped).
     * The body handles its own errors; a stopped entry ends with the interrupt's PolyglotException.
     */
    boolean post(String what, Runnable body) {
        return post(new Entry(what, body, limit));
    }

    private boolean post(Entry entry) {
        try {
            thread.execute(() -> run(entry));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code body} on the app thread and waits for it (what start() does), rethrowing what it threw. */
    void call(String what, Runnable body) {
        call(what, body, limit);
    }

    /** The same with a limit of its own (the platform's library may need longer on a cold JVM than app code gets). */
    void call(String what, Runnable body, Duration entryLimit) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queued = post(new Entry(
                what,
                () -> {
                    try {
                        body.run();
                        done.complete(null);
                    } catch (RuntimeException | Error e) {
                        done.completeExceptionally(e);
                        throw e;
                    }
                },
                entryLimit));
        if (!queued) {
            throw new IllegalStateException("the service of " + appName + " is closed");
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the service of " + appName, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    private void run(Entry entry) {
        awaitStop();
        synchronized (lock) {
            current = entry;
        }
        ScheduledFuture<?> deadline =
                CLOCK.schedule(() -> overtime(entry), entry.limit().toNanos(), TimeUnit.NANOSECONDS);
        try {
            entry.body().run();
        } catch (RuntimeException e) {
            // Bodies report their own failures; what reaches here was already reported or is the
            // context closing under them. Either way the loop goes on with the next entry.
            LOG.debugf("%s of %s ended with %s", entry.what(), appName, e.toString());
        } finally {
            deadline.cancel(false);
            synchronized (lock) {
                current = null;
            }
            awaitStop();
        }
    }

    /** The clock found {@code entry} past its limit: interrupt it, unless it finished meanwhile. */
    private void overtime(Entry entry) {
        CompletableFuture<Boolean> stop = new CompletableFuture<>();
        synchronized (lock) {
            if (current != entry || stopping != null) {
                return;
            }
            stopping = stop;
        }
        LOG.warnf("%s of %s ran longer than %s: interrupting it", entry.what(), appName, describe(entry.limit()));
        // Context.interrupt waits for the code to unwind: off the clock, which serves every app.
        Thread.ofVirtual().name("sf-app-stop").start(() -> {
            boolean stopped;
            try {
                stopped = interrupter.interrupt(STOP_GRACE);
            } catch (RuntimeException e) {
                LOG.debugf("interrupting %s: %s", appName, e.toString());
                stopped = true; // the context is closed already: nothing runs in it
            }
            stop.complete(stopped);
        });
    }

    /** An entry must not start while an interrupt is under way: the interrupt would hit it instead. */
    private void awaitStop() {
        CompletableFuture<Boolean> stop;
        synchronized (lock) {
            stop = stopping;
        }
        if (stop == null) {
            return;
        }
        try {
            stop.get(STOP_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("stopping the code of %s did not finish: %s", appName, e.toString());
        }
        synchronized (lock) {
            if (stopping == stop) {
                stopping = null;
            }
        }
    }

    /** Lets queued entries go (they find the context closed) and ends the thread. */
    void shutdown() {
        thread.shutdown();
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ScheduledThreadPoolExecutor clock() {
        ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(
                1, r -> Thread.ofPlatform().name("sf-app-clock").daemon().unstarted(r));
        clock.setRemoveOnCancelPolicy(true);
        return clock;
    }
}
