package io.scriptforge.runner.gateway;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.scriptforge.runner.config.RunnerConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The gateway's side of a runner that stops: while the runner drains, every answer closes its connection and the
 * idle connections are closed, so clients reconnect elsewhere; once the drain is over it refuses new requests (503
 * in the error format, and the connection closed) and tells when those in flight are answered. Health endpoints
 * stay open, so probes keep their answers.
 * <p>
 * The same tracking of connections lets none be reused forever: the first answer on one older than
 * {@code scriptforge.max-connection-age} closes it. A Service's kube-proxy picks a runner per connection, so
 * without this the clients connected before the autoscaler added runners would never reach them.
 */
@ApplicationScoped
public class ShutdownGate {
    /** Before every other filter and route, so a refused request does no work at all. */
    private static final int FIRST = Integer.MAX_VALUE;

    private final OpenConnections connections = new OpenConnections();
    private final long maxAgeNanos;
    private volatile boolean draining;
    private volatile boolean refusing;

    @Inject
    ShutdownGate(RunnerConfig config) {
        long maxAge = config.maxConnectionAge().toNanos();
        this.maxAgeNanos = maxAge > 0 ? maxAge : Long.MAX_VALUE;
    }

    void filters(@Observes Filters filters) {
        filters.register(this::admit, FIRST);
    }

    private void admit(RoutingContext ctx) {
        if (refusing && !ctx.request().path().startsWith("/q/")) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            ctx.addEndHandler(done -> ctx.request().connection().close());
            ErrorBody.send(
                    ctx.response(),
                    503,
                    "this runner is shutting down: send the request again, another replica answers it");
            return;
        }
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            boolean old = connections.track(ctx) >= maxAgeNanos;
            ctx.addHeadersEndHandler(headers -> closeIfDrainingOrOld(ctx, old));
        }
        ctx.next();
    }

    /**
     * An answer written during the drain closes its connection, also for a request that came before the drain
     * began: its client must not send the next one on it; so does an answer on a connection past its age. Not
     * HTTP/2, whose connection carries other streams.
     */
    private void closeIfDrainingOrOld(RoutingContext ctx, boolean old) {
        if ((draining || old) && ctx.request().version() != HttpVersion.HTTP_2) {
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
