package io.scriptforge.runner.gateway;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.scriptforge.runner.config.RunnerConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keep-alive connections do not stay forever: the first answer on one older than
 * {@code scriptforge.max-connection-age} tells its client to close it, and closes it. A Service's kube-proxy picks
 * a runner per connection, so without this the clients connected before the autoscaler added runners would
 * never reach them. Not HTTP/2 (its connection carries other streams) nor WebSocket sessions.
 */
@ApplicationScoped
public class ConnectionRotation {
    /** Right after the shutdown gate, before every route. */
    private static final int PRIORITY = Integer.MAX_VALUE - 1;

    /** When each connection was first seen; held weakly, so a closed connection leaves by itself. */
    private final Map<HttpConnection, Long> firstSeen = Collections.synchronizedMap(new WeakHashMap<>());
    private final long maxAgeNanos;

    @Inject
    ConnectionRotation(RunnerConfig config) {
        this.maxAgeNanos = config.maxConnectionAge().toNanos();
    }

    void filters(@Observes Filters filters) {
        if (maxAgeNanos > 0) {
            filters.register(this::rotate, PRIORITY);
        }
    }

    private void rotate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() != HttpVersion.HTTP_2 && !"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            HttpConnection connection = request.connection();
            long now = System.nanoTime();
            if (now - firstSeen.computeIfAbsent(connection, c -> now) >= maxAgeNanos) {
                ctx.addHeadersEndHandler(headers -> ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE));
                ctx.addEndHandler(done -> connection.close());
            }
        }
        ctx.next();
    }
}
