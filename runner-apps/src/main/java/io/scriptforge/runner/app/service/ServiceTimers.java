package io.scriptforge.runner.app.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * The clock side of the service's timers: the context keeps the callbacks, this schedules their
 * ids on the shared clock and posts each due one to the app's loop.
 */
final class ServiceTimers {
    private static final Logger LOG = Logger.getLogger(ServiceTimers.class);
    static final int MAX_PENDING = 10_000;

    private final String appName;
    private final LongConsumer due;
    private final Map<Long, Timer> pending = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** A scheduled id; the map holds this object so a fired timer removes only itself, not a re-armed one. */
    private static final class Timer {
        volatile ScheduledFuture<?> future;
    }

    /** @param due posts "timer {id} is due" to the app's loop */
    ServiceTimers(String appName, LongConsumer due) {
        this.appName = appName;
        this.due = due;
    }

    void set(long id, long delayMillis) {
        if (stopped) {
            return;
        }
        if (pending.size() >= MAX_PENDING && !pending.containsKey(id)) {
            // The library refuses the timer first; this only guards the clock against a broken library.
            LOG.warnf("%s: more than %d pending timers, timer %d dropped", appName, MAX_PENDING, id);
            return;
        }
        Timer timer = new Timer();
        Timer previous = pending.put(id, timer);
        if (previous != null && previous.future != null) {
            previous.future.cancel(false);
        }
        timer.future = ServiceLoop.CLOCK.schedule(
                () -> {
                    if (pending.remove(id, timer)) {
                        due.accept(id);
                    }
                },
                delayMillis,
                TimeUnit.MILLISECONDS);
    }

    void clear(long id) {
        Timer timer = pending.remove(id);
        if (timer != null && timer.future != null) {
            timer.future.cancel(false);
        }
    }

    int pendingCount() {
        return pending.size();
    }

    /** Cancels every timer; none is set after this. */
    void stop() {
        stopped = true;
        pending.values().forEach(t -> {
            if (t.future != null) {
                t.future.cancel(false);
            }
        });
        pending.clear();
    }
}
