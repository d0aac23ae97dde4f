package io.scriptforge.runner.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.egress.HostHttp;
import io.scriptforge.runner.egress.HostSockets;
import io.scriptforge.runner.egress.HttpExchange;
import io.scriptforge.sandbox.SandboxContext;
import java.util.Base64;
import java.util.function.BiConsumer;

/**
 * The host operations an invocation may wait for besides timers: the HTTP exchanges and TCP
 * connections of its npm modules. Each is pending in {@link Invocation#pending} (so a Promise
 * awaiting it keeps the invocation alive) until its outcome has run on the invocation's JS thread.
 */
final class HostOperations {
    /** What the invoker does with an outcome's JavaScript: queue it, then judge the invocation after it. */
    interface AfterTask {
        void after(Invocation invocation, SandboxContext context, String answer);
    }

    /** A warm-up invocation calls nothing out: its requests and connections fail at once, as a denied egress does. */
    private static final HostHttp WARM_UP_HTTP = HostHttp.refusing("a warm-up invocation sends no HTTP requests");

    private static final HostSockets WARM_UP_SOCKETS =
            HostSockets.refusing("a warm-up invocation opens no connections");

    private final ObjectMapper json;
    private final HostHttp http;
    private final HostSockets sockets;
    private final BiConsumer<Invocation, Runnable> submit;
    private final AfterTask afterTask;

    HostOperations(
            ObjectMapper json,
            HostHttp http,
            HostSockets sockets,
            BiConsumer<Invocation, Runnable> submit,
            AfterTask afterTask) {
        this.json = json;
        this.http = http;
        this.sockets = sockets;
        this.submit = submit;
        this.afterTask = afterTask;
    }

    /** Cancels a pending timer or operation: its outcome is never delivered. */
    void cancel(Invocation invocation, int id) {
        Runnable cancel;
        synchronized (invocation) {
            cancel = invocation.pending.remove(id);
            invocation.connections.remove(id);
        }
        if (cancel != null) {
            cancel.run();
        }
    }

    /** Starts an HTTP exchange of the npm modules' http shim or fetch; its answer is delivered once. */
    void httpRequest(Invocation invocation, SandboxContext context, int id, String specJson, String bodyBase64) {
        HttpExchange.Request request;
        try {
            request = json.readValue(specJson, HttpExchange.Request.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad HTTP request from the runtime: " + e.getMessage(), e);
        }
        synchronized (invocation) {
            if (invocation.finished()) {
                return;
            }
            invocation.pending.put(id, () -> {}); // pending from now: the answer may arrive before send returns
        }
        HostHttp client = invocation.warmUp() ? WARM_UP_HTTP : http;
        HostHttp.Cancellable exchange = client.send(
                request,
                Base64.getDecoder().decode(bodyBase64),
                remainingMillis(invocation),
                (failure, response) ->
                        completeOp(invocation, context, id, failure == null ? null : failure.asMap(), response, true));
        synchronized (invocation) {
            invocation.pending.computeIfPresent(id, (k, v) -> exchange::cancel);
        }
    }

    /** Opens a TCP connection (Node's net shim); its events are delivered in order, close last. */
    void socketConnect(Invocation invocation, SandboxContext context, int id, String host, int port) {
        synchronized (invocation) {
            if (invocation.finished()) {
                return;
            }
            invocation.pending.put(id, () -> {}); // pending from now: events may arrive before connect returns
        }
        HostSockets client = invocation.warmUp() ? WARM_UP_SOCKETS : sockets;
        HostSockets.Connection connection = client.connect(
                host,
                port,
                remainingMillis(invocation),
                event -> completeOp(invocation, context, id, null, event, event.last()));
        synchronized (invocation) {
            if (invocation.pending.computeIfPresent(id, (k, v) -> connection::close) != null) {
                invocation.connections.put(id, connection);
            } else {
                connection.close();
            }
        }
    }

    /** Writes to the connection of operation {@code id}, or half-closes it when {@code dataBase64} is null. */
    void socketWrite(Invocation invocation, int id, String dataBase64) {
        HostSockets.Connection connection;
        synchronized (invocation) {
            connection = invocation.connections.get(id);
        }
        if (connection == null) {
            return;
        }
        if (dataBase64 == null) {
            connection.end();
        } else {
            connection.write(Base64.getDecoder().decode(dataBase64));
        }
    }

    /**
     * Hands an operation's outcome to the invocation's JS thread. A final outcome keeps the operation
     * pending until its task runs; an intermediate one (a connection's data) leaves it pending.
     */
    private void completeOp(
            Invocation invocation, SandboxContext context, int id, Object error, Object answer, boolean last) {
        String errorJson;
        String answerJson;
        try {
            errorJson = error == null ? null : json.writeValueAsString(error);
            answerJson = answer == null ? null : json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        submit.accept(invocation, () -> {
            synchronized (invocation) {
                if (!invocation.pending.containsKey(id)) {
                    return; // cancelled meanwhile
                }
                if (last) {
                    invocation.pending.remove(id);
                    invocation.connections.remove(id);
                }
            }
            afterTask.after(invocation, context, context.completeOp(id, errorJson, answerJson, last));
        });
    }

    /** What is left of the invocation's deadline: no operation may outlive it. */
    private static long remainingMillis(Invocation invocation) {
        return Math.max(1, (invocation.deadlineNanos() - System.nanoTime()) / 1_000_000);
    }
}
