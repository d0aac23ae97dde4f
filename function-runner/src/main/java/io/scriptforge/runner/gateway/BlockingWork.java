package io.scriptforge.runner.gateway;

import io.scriptforge.runner.config.RunnerConfig;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;

/**
 * The blocking work of HTTP requests (database reads and writes of the jobs, schedules and dbfiles routes): off
 * the event loop, each on a virtual thread, and bounded. Past {@code scriptforge.blocking-requests} at once, a
 * request is answered 503 at once, as a Script's request is when its queue is full: a client that opens many
 * slow requests gets refusals, not a pile of threads waiting for the database pool.
 */
@ApplicationScoped
public class BlockingWork {
    private final Semaphore running;
    private final int limit;

    @Inject
    BlockingWork(RunnerConfig config) {
        this(config.blockingRequests());
    }

    BlockingWork(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("scriptforge.blocking-requests must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.running = new Semaphore(limit);
    }

    /**
     * Runs {@code work} on a virtual thread, or answers {@code ctx} 503 (with Retry-After) when {@code limit}
     * works run already. The work answers the request itself; its replies go back to the request's event loop.
     *
     * @param name the thread's name, which says whose work it is in a thread dump
     * @return whether the work was started
     */
    public boolean start(RoutingContext ctx, String name, Runnable work) {
        if (tryStart(name, work)) {
            return true;
        }
        String why = "this runner is doing the blocking work of " + limit
                + " requests already (scriptforge.blocking-requests): try again shortly";
        ctx.response().putHeader("Retry-After", "1");
        if (ctx.request().isEnded()) {
            ErrorBody.send(ctx.response(), 503, why);
        } else {
            BoundedBody.refuseUnread(
                    ctx, 503, "Service Unavailable", why); // its body stays unread: the connection goes
        }
        return false;
    }

    /** Runs {@code work} on a virtual thread if fewer than {@code limit} run; never waits. */
    boolean tryStart(String name, Runnable work) {
        if (!running.tryAcquire()) {
            return false;
        }
        try {
            Thread.ofVirtual().name(name).start(() -> {
                try {
                    work.run();
                } finally {
                    running.release();
                }
            });
        } catch (RuntimeException | Error e) {
            running.release();
            throw e;
        }
        return true;
    }

    /** How many works run now. */
    int running() {
        return limit - running.availablePermits();
    }
}
