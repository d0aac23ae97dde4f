package io.scriptforge.runner.app.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.AppConnection;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.session.SessionIdentity;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One AppWebsocket connection. Messages are handled one at a time, in order, on a virtual thread
 * (they block on the database); answers go back through the event loop. A bad message is answered
 * with its {@code src} and a reason, and never closes the session (only a failed login does).
 */
public final class AppSocket implements AppConnection {
    private static final Logger LOG = Logger.getLogger(AppSocket.class);
    /** A client that stops reading is dropped rather than holding a result open forever. */
    private static final long DRAIN_TIMEOUT_SECONDS = 30;
    /** Requests a session may have waiting; beyond, a client that sends without reading gets errors, not our heap. */
    static final int MAX_WAITING = 1000;

    private static final short GOING_AWAY = 1001;

    private final String id = UUID.randomUUID().toString();
    private final ServerWebSocket socket;
    private final Context eventLoop;
    private final AppRuntime runtime;
    private final AppPlatform platform;
    private final ObjectMapper json;
    private final AppMessages messages;
    private final ConcurrentLinkedQueue<String> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;
    /** Bytes of the message being received so far, its fragments together (event loop only). */
    private long messageBytes;

    public AppSocket(ServerWebSocket socket, Context eventLoop, AppRuntime runtime, AppPlatform platform) {
        this.socket = socket;
        this.eventLoop = eventLoop;
        this.runtime = runtime;
        this.platform = platform;
        this.json = platform.json();
        this.messages = new AppMessages(this, runtime, platform);
    }

    /** Starts reading; the session ends when the socket closes. */
    public void open() {
        runtime.attach(this);
        socket.frameHandler(this::bound);
        socket.textMessageHandler(this::receive);
        socket.binaryMessageHandler(buffer -> receive(buffer.toString()));
        socket.closeHandler(v -> ended());
        socket.exceptionHandler(e -> {
            if (e instanceof IllegalStateException
                    && String.valueOf(e.getMessage()).contains("max message size")) {
                // Vert.x dropped a message past its own limit: answer as for ours, never leave it unanswered.
                tooLarge();
            } else {
                LOG.debugf("App %s: session %s: %s", runtime.qualifiedName(), id, e.getMessage());
            }
        });
    }

    /** Counts a message's fragments as they come: past the limit, the session closes with 1009 at once. */
    private void bound(WebSocketFrame frame) {
        if (!(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return;
        }
        messageBytes =
                (frame.isContinuation() ? messageBytes : 0) + frame.binaryData().length();
        if (messageBytes > platform.settings().maxMessageBytes()) {
            tooLarge();
        } else if (frame.isFinal()) {
            messageBytes = 0;
        }
    }

    private void tooLarge() {
        if (!socket.isClosed()) {
            socket.close(
                    (short) 1009,
                    "message larger than " + platform.settings().maxMessageBytes()
                            + " bytes (scriptforge.apps.max-message-bytes)");
        }
    }

    private void receive(String text) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            sendError(
                    "Error",
                    null,
                    "more than " + MAX_WAITING
                            + " requests are waiting in this session: wait for answers before sending more");
            return;
        }
        inbox.add(text);
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("app-session-" + runtime.name()).start(this::drain);
        }
    }

    private void drain() {
        while (true) {
            String text;
            while ((text = inbox.poll()) != null) {
                waiting.decrementAndGet();
                if (closed) {
                    inbox.clear();
                    return;
                }
                handle(text);
            }
            draining.set(false);
            if (inbox.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void handle(String text) {
        ObjectNode message;
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                sendError("Error", null, "a message must be a JSON object with an mt");
                return;
            }
            message = (ObjectNode) node;
        } catch (JsonProcessingException e) {
            sendError("Error", null, "not JSON: " + e.getOriginalMessage());
            return;
        }
        try {
            messages.handle(message);
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "App %s: message %s failed",
                    runtime.qualifiedName(),
                    message.path("mt").asText());
            sendError(message.path("mt").asText("Error"), message.get("src"), "internal error: " + e.getMessage());
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** Null until AppLogin succeeded. */
    @Override
    public SessionIdentity identity() {
        return messages.identity();
    }

    @Override
    public String dbfilesKey() {
        return messages.dbfilesKey();
    }

    public AppRuntime runtime() {
        return runtime;
    }

    @Override
    public void send(ObjectNode message) {
        if (closed) {
            return;
        }
        try {
            socket.writeTextMessage(json.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            LOG.errorf("App %s: cannot encode a message: %s", runtime.qualifiedName(), e.getMessage());
        } catch (IllegalStateException e) {
            closed = true; // the socket closed under us
        }
    }

    /**
     * Sends, then waits while the client is behind (the write queue full): a large SqlExec streams
     * at the client's pace instead of piling up in the heap.
     */
    void sendAwaitingRoom(ObjectNode message) throws InterruptedException {
        send(message);
        if (closed) {
            throw new InterruptedException("the client closed the session");
        }
        if (!socket.writeQueueFull()) {
            return;
        }
        CompletableFuture<Void> room = new CompletableFuture<>();
        eventLoop.runOnContext(v -> {
            if (!socket.writeQueueFull()) {
                room.complete(null);
            } else {
                socket.drainHandler(x -> room.complete(null));
            }
        });
        try {
            room.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            close();
            throw new InterruptedException("the client stopped reading for " + DRAIN_TIMEOUT_SECONDS + " s");
        }
        if (closed) {
            throw new InterruptedException("the client closed the session");
        }
    }

    void sendError(String mt, JsonNode src, String reason) {
        send(AppMessages.error(json, mt, src, reason));
    }

    @Override
    public void close() {
        goAway("session ended");
    }

    @Override
    public CompletionStage<Void> goAway(String reason) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (closed) {
            sent.complete(null);
            return sent;
        }
        closed = true;
        eventLoop.runOnContext(v -> {
            if (socket.isClosed()) {
                sent.complete(null);
            } else {
                socket.close(GOING_AWAY, reason).onComplete(written -> sent.complete(null));
            }
        });
        ended();
        return sent;
    }

    /** Closed by the client, the server or a reload: forget the session everywhere, once. */
    private void ended() {
        closed = true;
        if (messages.end()) {
            runtime.detach(this);
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
