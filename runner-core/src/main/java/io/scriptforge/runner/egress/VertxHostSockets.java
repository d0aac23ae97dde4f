package io.scriptforge.runner.egress;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link HostSockets} on Vert.x's NetClient: the host checked and resolved by {@link EgressResolver},
 * the connection made to the checked address, bounded in bytes read and by the invocation's deadline.
 */
public final class VertxHostSockets implements HostSockets {
    private final Vertx vertx;
    private final NetClient client;
    private final EgressResolver resolver;
    private final EgressLimits limits;

    public VertxHostSockets(Vertx vertx, EgressPolicy policy, EgressLimits limits) {
        this.vertx = vertx;
        this.resolver = new EgressResolver(vertx, policy);
        this.limits = limits;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int)
                Math.min(Integer.MAX_VALUE, limits.timeout().toMillis())));
    }

    @Override
    public Connection connect(String host, int port, long remainingMillis, Consumer<Event> events) {
        SocketConnection connection = new SocketConnection(events);
        connection.deadline = vertx.setTimer(
                Math.max(1, remainingMillis),
                id -> connection.fail("ETIMEDOUT", "the connection outlived the invocation"));
        resolver.resolve(host).onComplete(resolved -> {
            if (resolved.failed()) {
                EgressResolver.Refused refused = (EgressResolver.Refused) resolved.cause();
                connection.fail(refused.code, refused.describe("connect " + host + ":" + port));
                return;
            }
            client.connect(port, resolved.result().getHostAddress()).onComplete(connected -> {
                if (connected.failed()) {
                    connection.fail(
                            "ECONNREFUSED",
                            "connect " + host + ":" + port + " failed: "
                                    + connected.cause().getMessage());
                } else {
                    connection.opened(connected.result(), resolved.result().getHostAddress());
                }
            });
        });
        return connection;
    }

    /** One connection's state; guarded by {@code this}, events delivered in order under it. */
    private final class SocketConnection implements Connection {
        private final Consumer<Event> events;
        private final List<Buffer> early = new ArrayList<>();
        private NetSocket socket;
        private boolean ended;
        private boolean closed;
        private long read;
        private long deadline;

        SocketConnection(Consumer<Event> events) {
            this.events = events;
        }

        synchronized void opened(NetSocket opened, String address) {
            if (closed) {
                opened.close();
                return;
            }
            socket = opened;
            events.accept(new Event("connect", null, address, null));
            opened.handler(data -> received(data));
            opened.endHandler(v -> delivered(new Event("end", null, null, null)));
            opened.exceptionHandler(e -> fail("ECONNRESET", String.valueOf(e.getMessage())));
            opened.closeHandler(v -> closedNow());
            early.forEach(opened::write);
            early.clear();
            if (ended) {
                opened.end();
            }
        }

        private synchronized void received(Buffer data) {
            read += data.length();
            if (read > limits.maxResponseBytes()) {
                fail(
                        "E2BIG",
                        "the connection read more than the runner's limit of " + limits.maxResponseBytes() + " bytes");
                return;
            }
            delivered(new Event("data", Base64.getEncoder().encodeToString(data.getBytes()), null, null));
        }

        private synchronized void delivered(Event event) {
            if (!closed) {
                events.accept(event);
            }
        }

        synchronized void fail(String code, String message) {
            if (closed) {
                return;
            }
            events.accept(new Event("error", null, message, code));
            closedNow();
        }

        private synchronized void closedNow() {
            if (closed) {
                return;
            }
            closed = true;
            vertx.cancelTimer(deadline);
            if (socket != null) {
                socket.close();
            }
            events.accept(new Event("close", null, null, null));
        }

        @Override
        public synchronized void write(byte[] data) {
            if (closed || ended) {
                return;
            }
            if (socket == null) {
                early.add(Buffer.buffer(data));
            } else {
                socket.write(Buffer.buffer(data));
            }
        }

        @Override
        public synchronized void end() {
            ended = true;
            if (socket != null) {
                socket.end();
            }
        }

        @Override
        public synchronized void close() {
            closedNow();
        }
    }
}
