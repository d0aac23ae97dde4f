package io.scriptforge.runner.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests in flight, and the connections they came on, so that a stopping runner can close the idle
 * connections (a keep-alive connection that sends nothing more would stay on this runner until it stops) and wait
 * for the requests to be answered. Connections are held weakly: one either side closed leaves by itself (no close
 * handler, which Quarkus may own). WebSocket upgrades are not requests here: a session is never "answered".
 */
final class OpenConnections {
    private final Map<HttpConnection, Use> byConnection = Collections.synchronizedMap(new WeakHashMap<>());
    private final Object answered = new Object();
    private int inFlight; // guarded by answered

    /**
     * Counts the request in flight, on its connection too, until its response is done (or its client gone).
     *
     * @return how long ago its connection was first seen, in nanoseconds
     */
    long track(RoutingContext ctx) {
        Use use =
                byConnection.computeIfAbsent(ctx.request().connection(), connection -> new Use(Vertx.currentContext()));
        use.begin();
        synchronized (answered) {
            inFlight++;
        }
        ctx.addEndHandler(done -> {
            use.end();
            synchronized (answered) {
                if (--inFlight == 0) {
                    answered.notifyAll();
                }
            }
        });
        return System.nanoTime() - use.firstSeen;
    }

    /** Waits until no request is in flight, or {@code bound} passed; returns how many still are. */
    int awaitAnswered(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (answered) {
            for (long left = bound.toNanos(); inFlight > 0 && left > 0; left = deadline - System.nanoTime()) {
                answered.wait(Math.max(1, left / 1_000_000));
            }
            return inFlight;
        }
    }

    /**
     * Closes the connections that have had nothing in flight for {@code quiet} at least: a client that has just
     * read an answer may be sending its next request already, and closing under it would fail that request. The
     * check is made again on the connection's own event loop, where its requests are admitted, so a request that
     * arrived after the first look is answered, never cut.
     *
     * @return how many were found idle and are being closed
     */
    int closeIdle(Duration quiet) {
        long now = System.nanoTime();
        List<Map.Entry<HttpConnection, Use>> idle;
        synchronized (byConnection) {
            idle = byConnection.entrySet().stream()
                    .filter(e -> e.getValue().idleFor(now, quiet))
                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toList();
        }
        for (Map.Entry<HttpConnection, Use> entry : idle) {
            entry.getValue().onItsLoop(() -> {
                if (entry.getValue().idleFor(now, quiet)) {
                    byConnection.remove(entry.getKey());
                    entry.getKey().close();
                }
            });
        }
        return idle.size();
    }

    /** One connection's requests: when the first came, how many are in flight, and when the last ended. */
    private static final class Use {
        private final Context loop; // the event loop that admits the connection's requests
        private final long firstSeen = System.nanoTime();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile long lastEnded = System.nanoTime();

        Use(Context loop) {
            this.loop = loop;
        }

        void onItsLoop(Runnable action) {
            if (loop == null) {
                action.run();
            } else {
                loop.runOnContext(ignored -> action.run());
            }
        }

        void begin() {
            inFlight.incrementAndGet();
        }

        void end() {
            lastEnded = System.nanoTime();
            inFlight.decrementAndGet();
        }

        boolean idleFor(long now, Duration quiet) {
            return inFlight.get() == 0 && now - lastEnded >= quiet.toNanos();
        }
    }
}
