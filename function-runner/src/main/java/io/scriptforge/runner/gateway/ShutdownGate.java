package io.scriptforge.runner.gateway;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The gateway's side of a runner that stops: while the runner drains, every answer closes its connection and the
 * idle connections are closed, so clients reconnect elsewhere; once the drain is over it refuses new requests (503
 * in the error format, and the connection closed) and tells when those in flight are answered. Health endpoints
 * stay open, so probes keep their answers.
 */
@ApplicationScoped
public class ShutdownGate {
    /** Before every other filter and route, so a refused request does no work at all. */
    private static final int FIRST = Integer.MAX_VALUE;

    private final OpenConnections connections = new OpenConnections();
    private volatile boolean draining;
    private volatile boolean refusing;

    void filters(@Observes Filters filters) {
        filters.register(this::admit, FIRST);
    }

    private void admit(RoutingContext ctx) {
        if (refusing && !ctx.request().path().startsWith("/q/")) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            ctx.addEndHandler(done -> ctx.request().connection().close());
            ErrorBody.send(ctx.response(), 503, "Service Unavailable", "this runner is shutting down: send the request again, another replica answers it");
            return;
        }
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            connections.track(ctx);
            ctx.addHeadersEndHandler(headers -> closeIfDraining(ctx));
        }
        ctx.next();
    }

    /**
     * An answer written during the drain closes its connection, also for a request that came before the drain
     * began: its client must not send the next one on it. Not HTTP/2, whose connection carries other streams.
     */
    private void closeIfDraining(RoutingContext ctx) {
        if (draining && ctx.request().version() != HttpVersion.HTTP_2) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            ctx.addEndHandler(done -> ctx.request().connection().close());
        }
    }

    /** From now on, every answer closes its connection. */
    public void startDraining() {
        draining = true;
    }

    /** Closes the connections with nothing in flight for {@code quiet}; returns how many. */
    public int closeIdleConnections(Duration quiet) {
        return connections.closeIdle(quiet);
    }

    /** Waits until every request admitted has its answer, or {@code bound} passed; returns how many are still in flight. */
    public int awaitAnswered(Duration bound) throws InterruptedException {
        return connections.awaitAnswered(bound);
    }

    /** From now on, new requests are refused; those in flight go on. */
    public void refuseNewRequests() {
        refusing = true;
    }
}
