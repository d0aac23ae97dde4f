package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.invoke.DuplicateInvocationException;
import io.scriptforge.runner.invoke.Invocation;
import io.scriptforge.runner.invoke.InvocationResult;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One POST /v1/route call: its steps run one after another through the {@link Invoker} (each an
 * invocation {@code <id>.<n>} under its own Script's timeout), each getting the previous one's
 * output; the whole chain runs under the routing Script's timeout and answers its timeoutAction
 * when it runs past. All state is touched on the request's Vert.x context only.
 */
final class RoutingChain {
    private final Invoker invoker;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final String id;
    private final List<ScriptRegistry.Entry> steps;
    private final CompiledScript routing;
    private final JsonNode input;
    private int next;
    private Invocation current;
    private boolean done;
    private long timer = -1;

    RoutingChain(
            Invoker invoker,
            ObjectMapper json,
            Vertx vertx,
            HttpServerResponse response,
            String id,
            List<ScriptRegistry.Entry> steps,
            CompiledScript routing,
            JsonNode input) {
        this.invoker = invoker;
        this.json = json;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
        this.id = id;
        this.steps = steps;
        this.routing = routing;
        this.input = input;
    }

    void start() {
        long millis = Math.max(1, routing.timeout().toMillis());
        timer = vertx.setTimer(
                millis,
                t -> finish(new InvocationResult.Failure(
                        routing.timeoutAction(),
                        "the routing chain ran past the timeout of Script " + routing.qualifiedName() + " (" + millis
                                + " ms)",
                        null,
                        0,
                        0)));
        response.closeHandler(v -> {
            if (!done) {
                done = true;
                vertx.cancelTimer(timer);
                if (current != null) {
                    invoker.abandon(current);
                }
            }
        });
        step(input.toString());
    }

    private void step(String body) {
        ScriptRegistry.Entry entry = steps.get(next);
        try {
            current = invoker.start(
                    entry.compiled(),
                    id + "." + (next + 1),
                    body,
                    result -> context.runOnContext(v -> stepDone(entry, result)));
        } catch (DuplicateInvocationException e) {
            finish(InvocationResult.Failure.of(409, "Conflict", e.getMessage()));
        }
    }

    private void stepDone(ScriptRegistry.Entry entry, InvocationResult result) {
        if (done) {
            return;
        }
        current = null;
        String step = "Script " + entry.qualifiedName() + " (step " + (next + 1) + " of " + steps.size() + ")";
        switch (result) {
            case InvocationResult.Failure f ->
                finish(new InvocationResult.Failure(
                        f.status(),
                        step + ": " + (f.message() == null ? "threw " + f.status() : f.message()),
                        f.at(),
                        f.line(),
                        f.column()));
            case InvocationResult.Text text -> finish(notAnObject(step, "a string"));
            case InvocationResult.Empty empty -> finish(notAnObject(step, "undefined"));
            case InvocationResult.Json value -> {
                JsonNode node;
                try {
                    node = json.readTree(value.body());
                } catch (JsonProcessingException e) {
                    finish(notAnObject(step, "unreadable JSON"));
                    return;
                }
                if (!node.isObject()) {
                    finish(notAnObject(step, "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
                } else if (++next < steps.size()) {
                    step(value.body());
                } else {
                    succeed((ObjectNode) node);
                }
            }
        }
    }

    private static InvocationResult.Failure notAnObject(String step, String what) {
        return InvocationResult.Failure.of(
                500, "Internal Server Error", step + " returned " + what + ", not a routing object");
    }

    private void succeed(ObjectNode output) {
        done = true;
        vertx.cancelTimer(timer);
        ArrayNode effective = output.putArray("effective_headers");
        for (List<RoutingHeaders.Header> destination : RoutingHeaders.effective(input, output)) {
            ArrayNode headers = effective.addArray();
            for (RoutingHeaders.Header h : destination) {
                headers.addObject().put("key", h.key()).put("value", h.value());
            }
        }
        if (!response.ended() && !response.closed()) {
            response.putHeader("Content-Type", "application/json").end(output.toString());
        }
    }

    private void finish(InvocationResult.Failure failure) {
        if (done) {
            return;
        }
        done = true;
        vertx.cancelTimer(timer);
        if (current != null) {
            invoker.abandon(current);
            current = null;
        }
        ErrorBody.send(response, failure);
    }
}
