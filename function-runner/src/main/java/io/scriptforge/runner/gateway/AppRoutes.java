package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.service.ServiceRequest;
import io.scriptforge.runner.app.service.ServiceResponse;
import io.scriptforge.runner.app.ws.AppSocket;
import io.scriptforge.runner.control.ControlPermission;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP face of Apps, at {@code /apps/{namespace}/{name}/}: the AppWebsocket upgrade, dbfiles
 * (upload, delete and download as a query on that path), the app's static files, then its
 * service's own handlers. {@code GET /v1/apps} lists the Apps and what they publish.
 */
@ApplicationScoped
public class AppRoutes {
    private static final String JSON_TYPE = "application/json";

    @Inject
    AppRegistry apps;

    @Inject
    AppPlatform platform;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @Inject
    io.scriptforge.runner.config.RunnerConfig config;

    @Inject
    ControlAccess access;

    @Inject
    DbFilesHandler dbFiles;

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, "/v1/apps").handler(this::list);
        router.routeWithRegex("/apps/([a-z0-9-]+)/([a-z0-9-]+)")
                .handler(ctx -> ctx.response()
                        .setStatusCode(301)
                        .putHeader(HttpHeaders.LOCATION, ctx.request().path() + "/")
                        .end());
        router.routeWithRegex("/apps/([a-z0-9-]+)/([a-z0-9-]+)/(.*)").handler(this::app);
    }

    private void list(RoutingContext ctx) {
        var all = apps.all();
        access.withAllowed(
                ctx,
                all.stream().map(AppRuntime::namespace).toList(),
                ControlPermission.LIST_APPS,
                allowed -> sendList(
                        ctx,
                        all.stream()
                                .filter(app -> allowed.contains(app.namespace()))
                                .toList()));
    }

    private void sendList(RoutingContext ctx, List<AppRuntime> listed) {
        List<Map<String, Object>> rows = listed.stream()
                .map(app -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("namespace", app.namespace());
                    row.put("name", app.name());
                    row.put("url", app.basePath());
                    row.put("ready", app.ready());
                    row.put("problem", app.problem());
                    if (app.ready()) {
                        row.put("schema", app.schema().name());
                        row.put("schemaVersion", app.schemaVersion());
                        row.put("apis", app.manifest().apis());
                        row.put("serviceApis", app.manifest().serviceApis());
                        row.put("plugins", app.manifest().plugins());
                    }
                    return row;
                })
                .toList();
        try {
            ctx.response().putHeader("Content-Type", JSON_TYPE).end(json.writeValueAsString(rows));
        } catch (JsonProcessingException e) {
            ErrorBody.send(ctx.response(), 500, e.getOriginalMessage());
        }
    }

    private void app(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String namespace = ctx.pathParam("param0");
        String name = ctx.pathParam("param1");
        String rest = ctx.pathParam("param2");
        AppRuntime runtime = apps.byName(namespace, name).orElse(null);
        if (runtime == null) {
            ErrorBody.send(
                    ctx.response(), 404, "no App " + namespace + "/" + name + ": GET /v1/apps lists the Apps served");
            return;
        }
        if (!runtime.ready()) {
            ErrorBody.send(
                    ctx.response(), 503, "App " + runtime.qualifiedName() + " is not served: " + runtime.problem());
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
        if (upgrade) {
            if (!rest.isEmpty()) {
                ErrorBody.send(ctx.response(), 404, "the AppWebsocket is at " + runtime.basePath());
                return;
            }
            request.toWebSocket()
                    .onSuccess(ws -> new AppSocket(ws, vertx.getOrCreateContext(), runtime, platform).open())
                    .onFailure(e -> ErrorBody.send(ctx.response(), 400, "WebSocket upgrade failed: " + e.getMessage()));
            return;
        }
        if (request.getParam("dbfiles") != null && rest.isEmpty()) {
            dbFiles.handle(ctx, runtime);
            return;
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            String path = rest.isEmpty() ? index(runtime) : rest;
            Optional<byte[]> file =
                    path == null ? Optional.empty() : runtime.manifest().files().servable(path);
            if (file.isPresent()) {
                HttpServerResponse response = ctx.response()
                        .putHeader("Content-Type", ContentTypes.of(path))
                        .putHeader("X-Content-Type-Options", "nosniff");
                if (request.method() == HttpMethod.HEAD) {
                    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(file.get().length))
                            .end();
                } else {
                    response.end(Buffer.buffer(file.get()));
                }
                return;
            }
        }
        serviceRequest(ctx, runtime, rest);
    }

    private static String index(AppRuntime runtime) {
        for (String candidate : List.of("index.htm", "index.html")) {
            if (runtime.manifest().files().servable(candidate).isPresent()) {
                return candidate;
            }
        }
        return null;
    }

    /** Anything else goes to the service's WebServer.onrequest handlers, with the body read (bounded). */
    private void serviceRequest(RoutingContext ctx, AppRuntime runtime, String rest) {
        HttpServerRequest request = ctx.request();
        // The router paused the request; reading the body resumes it. Bounded while read: the service gets it whole.
        BoundedBody.read(ctx, maxBodyBytes(), "scriptforge.max-body-bytes", body -> {
            Map<String, List<String>> query = new LinkedHashMap<>();
            request.params()
                    .forEach(e -> query.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>())
                            .add(e.getValue()));
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
            ServiceRequest serviceRequest =
                    new ServiceRequest(request.method().name(), rest, query, headers, body.getBytes());
            var handled = runtime.service().request(serviceRequest);
            if (handled.isEmpty()) {
                ErrorBody.send(
                        ctx.response(),
                        404,
                        "App " + runtime.qualifiedName() + " has no file or handler for '" + rest + "'");
                return;
            }
            handled.get()
                    .whenComplete((answer, failure) ->
                            vertx.runOnContext(v -> respond(ctx.response(), runtime, answer, failure)));
        });
    }

    private long maxBodyBytes() {
        return config.maxBodyBytes();
    }

    private static void respond(
            HttpServerResponse response, AppRuntime runtime, ServiceResponse answer, Throwable failure) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (failure != null) {
            ErrorBody.send(response, 500, "App " + runtime.qualifiedName() + ": " + failure.getMessage());
            return;
        }
        response.setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(answer.body()));
    }
}
