package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.control.ControlPermission;
import io.scriptforge.runner.invoke.DuplicateInvocationException;
import io.scriptforge.runner.invoke.InvocationResult;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.warmup.WarmUpGate;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The HTTP face of a runner. Handlers only parse, route by UUID and write answers: JavaScript runs
 * on the invoker's own threads, so the event loop never waits for a script.
 */
@ApplicationScoped
public class GatewayRoutes {
    static final String INVOCATION_ID = "X-Invocation-Id";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    private static final int DEFAULT_LOG_LIMIT = 100;

    @Inject
    ScriptRegistry registry;

    @Inject
    Invoker invoker;

    @Inject
    ScriptLogs logs;

    @Inject
    ObjectMapper json;

    @Inject
    RunnerConfig config;

    @Inject
    WarmUpGate warmUps;

    @Inject
    ControlAccess access;

    @Inject
    InvokeAdmission admission;

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        router.route(HttpMethod.POST, "/v1/invoke/:uuid")
                .handler(body)
                .handler(this::invoke)
                .failureHandler(this::failure);
        router.route(HttpMethod.GET, "/v1/invoke/:uuid").handler(this::invoke).failureHandler(this::failure);
        router.route(HttpMethod.POST, "/v1/route/:uuid")
                .handler(body)
                .handler(this::route)
                .failureHandler(this::failure);
        router.route(HttpMethod.GET, "/v1/scripts").handler(this::listScripts);
        router.route(HttpMethod.GET, "/v1/scripts/:uuid/logs").handler(this::scriptLogs);
        router.route(HttpMethod.GET, "/v1/invocations").handler(this::listInvocations);
        router.route(HttpMethod.DELETE, "/v1/invocations/:id").handler(this::cancelInvocation);
    }

    private void invoke(RoutingContext ctx) {
        String id = invocationId(ctx);
        boolean warmUp =
                warmUps.admits(ctx.request()); // the runner's own warm-up: a dry run, and its built-in Script exists
        ScriptRegistry.Entry entry = id == null ? null : warmUp ? warmUpScriptOf(ctx) : scriptOf(ctx);
        if (entry == null) {
            return;
        }
        if (warmUp) {
            run(ctx, entry, id, true);
        } else {
            admission.ifAdmitted(ctx, entry, () -> run(ctx, entry, id, false));
        }
    }

    private void run(RoutingContext ctx, ScriptRegistry.Entry entry, String id, boolean warmUp) {
        HttpServerResponse response = ctx.response();
        if (!ScriptLookup.servable(response, entry)) {
            return;
        }
        String data;
        try {
            data = ctx.request().method() == HttpMethod.GET
                    ? RequestData.fromQuery(ctx.queryParams().entries().stream()
                            .collect(java.util.stream.Collectors.groupingBy(
                                    Map.Entry::getKey,
                                    LinkedHashMap::new,
                                    java.util.stream.Collectors.mapping(
                                            Map.Entry::getValue, java.util.stream.Collectors.toList()))))
                    : RequestData.fromBody(
                            ctx.request().getHeader("Content-Type"), ctx.body().asString());
        } catch (RequestData.BadInput e) {
            ErrorBody.send(response, 400, e.getMessage());
            return;
        }
        try {
            var invocation = warmUp
                    ? invoker.startWarmUp(
                            entry.compiled(),
                            id,
                            data,
                            warmUps.timeoutOf(entry.compiled()),
                            result -> answer(response, result))
                    : invoker.start(entry.compiled(), id, data, result -> answer(response, result));
            response.closeHandler(v -> invoker.abandon(invocation));
        } catch (DuplicateInvocationException e) {
            ErrorBody.send(response, 409, e.getMessage());
        }
    }

    /** The caller's X-Invocation-Id (set on the response), a new one, or null after answering 400 for a bad one. */
    private static String invocationId(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        String id = ctx.request().getHeader(INVOCATION_ID);
        if (id == null) {
            id = newId();
        } else if (!CLIENT_ID.matcher(id).matches()) {
            response.putHeader(INVOCATION_ID, newId());
            ErrorBody.send(response, 400, INVOCATION_ID + " must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            return null;
        }
        response.putHeader(INVOCATION_ID, id);
        return id;
    }

    /** The Script the path's uuid names, or null after answering 404. */
    private ScriptRegistry.Entry scriptOf(RoutingContext ctx) {
        return ScriptLookup.byPath(ctx, registry);
    }

    /** For a warm-up request: the built-in warm-up Script, or one of the registry's. */
    private ScriptRegistry.Entry warmUpScriptOf(RoutingContext ctx) {
        return warmUps.builtIn(ctx.pathParam("uuid")).orElseGet(() -> scriptOf(ctx));
    }

    /** Class 4 routing: every routing.priority first Script of the namespace, the given one, every last one. */
    private void route(RoutingContext ctx) {
        String id = invocationId(ctx);
        ScriptRegistry.Entry entry = id == null ? null : scriptOf(ctx);
        if (entry != null) {
            admission.ifAdmitted(ctx, entry, () -> route(ctx, entry, id));
        }
    }

    private void route(RoutingContext ctx, ScriptRegistry.Entry entry, String id) {
        HttpServerResponse response = ctx.response();
        com.fasterxml.jackson.databind.JsonNode input;
        try {
            input = json.readTree(
                    ctx.body().asString() == null ? "" : ctx.body().asString());
        } catch (JsonProcessingException e) {
            input = null;
        }
        if (input == null || !input.isObject() || !input.path("routing").isObject()) {
            ErrorBody.send(
                    response,
                    400,
                    "POST /v1/route takes a JSON object with a \"routing\" object: {\"routing\": {...}}");
            return;
        }
        List<ScriptRegistry.Entry> steps = new java.util.ArrayList<>();
        registry.routing(entry.namespace(), io.scriptforge.crd.RoutingPriority.FIRST).stream()
                .filter(e -> e != entry)
                .forEach(steps::add);
        steps.add(entry);
        registry.routing(entry.namespace(), io.scriptforge.crd.RoutingPriority.LAST).stream()
                .filter(e -> e != entry)
                .forEach(steps::add);
        for (ScriptRegistry.Entry step : steps) {
            if (!ScriptLookup.servable(response, step, " of the routing chain")) {
                return;
            }
        }
        new RoutingChain(invoker, json, ctx.vertx(), response, id, List.copyOf(steps), entry.compiled(), input).start();
    }

    private static void answer(HttpServerResponse response, InvocationResult result) {
        if (response.ended() || response.closed()) {
            return;
        }
        switch (result) {
            case InvocationResult.Text text ->
                response.putHeader("Content-Type", TEXT).end(text.body());
            case InvocationResult.Json value ->
                response.putHeader("Content-Type", JSON_TYPE).end(value.body());
            case InvocationResult.Empty empty -> response.setStatusCode(204).end();
            case InvocationResult.Failure failure -> ErrorBody.send(response, failure);
        }
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headers().get(INVOCATION_ID) == null) {
            ctx.response().putHeader(INVOCATION_ID, newId());
        }
        if (status == 413) {
            BoundedBody.tooLarge(ctx, config.maxBodyBytes(), "scriptforge.max-body-bytes");
        } else {
            int code = status > 0 ? status : 500;
            ErrorBody.send(
                    ctx.response(),
                    code,
                    io.netty.handler.codec.http.HttpResponseStatus.valueOf(code).reasonPhrase(),
                    ctx.failure() == null ? null : ctx.failure().getMessage());
        }
    }

    private void listScripts(RoutingContext ctx) {
        var all = registry.all();
        access.withAllowed(
                ctx,
                all.stream().map(ScriptRegistry.Entry::namespace).toList(),
                ControlPermission.LIST_SCRIPTS,
                allowed -> sendScripts(
                        ctx,
                        all.stream()
                                .filter(e -> allowed.contains(e.namespace()))
                                .toList()));
    }

    private void sendScripts(RoutingContext ctx, List<ScriptRegistry.Entry> entries) {
        String base = ctx.request().scheme() + "://" + ctx.request().authority();
        List<Map<String, Object>> scripts = entries.stream()
                .map(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("namespace", e.namespace());
                    row.put("name", e.name());
                    row.put("uuid", e.uuid());
                    row.put("type", e.type().wireName());
                    row.put("url", base + "/v1/invoke/" + e.uuid());
                    row.put(
                            "codeHash",
                            e.compiled() == null ? null : e.compiled().codeHash());
                    row.put("source", e.location());
                    row.put("loadError", e.loadError());
                    return row;
                })
                .toList();
        sendJson(ctx, 200, scripts);
    }

    private void scriptLogs(RoutingContext ctx) {
        ScriptRegistry.Entry entry = ScriptLookup.byPath(ctx, registry);
        if (entry == null) {
            return;
        }
        access.ifAllowed(ctx, entry.namespace(), ControlPermission.READ_LOGS, () -> sendLogs(ctx, entry.uuid()));
    }

    private void sendLogs(RoutingContext ctx, String uuid) {
        int limit = DEFAULT_LOG_LIMIT;
        String text = ctx.queryParams().get("limit");
        if (text != null) {
            try {
                limit = Integer.parseInt(text);
                if (limit < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                ErrorBody.send(ctx.response(), 400, "limit must be a positive integer, not '" + text + "'");
                return;
            }
        }
        sendJson(ctx, 200, Map.of("uuid", uuid, "lines", logs.recent(uuid, limit)));
    }

    private void listInvocations(RoutingContext ctx) {
        var running = invoker.running();
        access.withAllowed(
                ctx,
                running.stream().map(i -> i.script().namespace()).toList(),
                ControlPermission.LIST_INVOCATIONS,
                allowed -> sendInvocations(
                        ctx,
                        running.stream()
                                .filter(i -> allowed.contains(i.script().namespace()))
                                .toList()));
    }

    private void sendInvocations(RoutingContext ctx, List<io.scriptforge.runner.invoke.Invocation> running) {
        long now = System.currentTimeMillis();
        sendJson(
                ctx,
                200,
                running.stream()
                        .map(i -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("id", i.id());
                            row.put("uuid", i.script().uuid());
                            row.put("namespace", i.script().namespace());
                            row.put("name", i.script().name());
                            row.put("state", i.state().name().toLowerCase(Locale.ROOT));
                            row.put("startedAt", i.startedAt().toString());
                            row.put("elapsedMs", now - i.startedAt().toEpochMilli());
                            return row;
                        })
                        .toList());
    }

    private void cancelInvocation(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Runnable unknown = () -> ErrorBody.send(ctx.response(), 404, "no running invocation has id " + id);
        var invocation = invoker.running().stream()
                .filter(i -> i.id().equals(id))
                .findFirst()
                .orElse(null);
        if (invocation == null) {
            unknown.run();
            return;
        }
        access.ifAllowedElseHidden(
                ctx,
                invocation.script().namespace(),
                ControlPermission.CANCEL_INVOCATION,
                ControlPermission.LIST_INVOCATIONS,
                () -> {
                    if (invoker.cancel(id)) {
                        sendJson(ctx, 202, Map.of("cancelled", id));
                    } else {
                        unknown.run();
                    }
                },
                unknown);
    }

    private void sendJson(RoutingContext ctx, int status, Object value) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", JSON_TYPE)
                    .end(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            ErrorBody.send(ctx.response(), 500, e.getOriginalMessage());
        }
    }

    /** A random UUID without SecureRandom's cost on the hot path; ids need to be unique, not secret. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
