package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.files.DbFilesStore;
import io.scriptforge.runner.app.files.DownloadGrant;
import io.scriptforge.runner.app.files.FileInfo;
import io.scriptforge.runner.app.files.FileTooLargeException;
import io.scriptforge.runner.app.service.ServiceRequest;
import io.scriptforge.runner.app.service.ServiceResponse;
import io.scriptforge.runner.app.ws.AppSocket;
import io.scriptforge.runner.control.ControlPermission;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
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
            ErrorBody.send(ctx.response(), 500, "Internal Server Error", e.getOriginalMessage());
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
                    ctx.response(),
                    404,
                    "Not Found",
                    "no App " + namespace + "/" + name + ": GET /v1/apps lists the Apps served");
            return;
        }
        if (!runtime.ready()) {
            ErrorBody.send(
                    ctx.response(),
                    503,
                    "Service Unavailable",
                    "App " + runtime.qualifiedName() + " is not served: " + runtime.problem());
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
        if (upgrade) {
            if (!rest.isEmpty()) {
                ErrorBody.send(ctx.response(), 404, "Not Found", "the AppWebsocket is at " + runtime.basePath());
                return;
            }
            request.toWebSocket()
                    .onSuccess(ws -> new AppSocket(ws, vertx.getOrCreateContext(), runtime, platform).open())
                    .onFailure(e -> ErrorBody.send(
                            ctx.response(), 400, "Bad Request", "WebSocket upgrade failed: " + e.getMessage()));
            return;
        }
        if (request.getParam("dbfiles") != null && rest.isEmpty()) {
            DbFilesHttp.handle(ctx, runtime, platform, vertx);
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
                        "Not Found",
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
            ErrorBody.send(
                    response,
                    500,
                    "Internal Server Error",
                    "App " + runtime.qualifiedName() + ": " + failure.getMessage());
            return;
        }
        response.setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(answer.body()));
    }

    /** dbfiles over HTTP: POST stores (or deletes with del=), GET returns a listed file's bytes. */
    static final class DbFilesHttp {
        private DbFilesHttp() {}

        static void handle(RoutingContext ctx, AppRuntime runtime, AppPlatform platform, Vertx vertx) {
            HttpServerRequest request = ctx.request();
            String storeName = request.getParam("dbfiles");
            FileStore store = runtime.manifest().fileStore(storeName).orElse(null);
            if (store == null) {
                ErrorBody.send(
                        ctx.response(),
                        404,
                        "Not Found",
                        "no dbfiles store '" + storeName + "' in App " + runtime.qualifiedName());
                return;
            }
            if (request.method() == HttpMethod.GET) {
                download(ctx, runtime, platform, store);
            } else if (request.method() == HttpMethod.POST) {
                request.pause();
                Thread.ofVirtual().start(() -> authorizedPost(ctx, runtime, platform, store, vertx));
            } else {
                ErrorBody.send(
                        ctx.response(),
                        405,
                        "Method Not Allowed",
                        "dbfiles takes POST (upload, or del=<id>) and GET (download)");
            }
        }

        private static void authorizedPost(
                RoutingContext ctx, AppRuntime runtime, AppPlatform platform, FileStore store, Vertx vertx) {
            HttpServerRequest request = ctx.request();
            boolean live;
            try {
                live = platform.sessions().isLive(runtime.schema(), request.getParam("key"));
            } catch (SQLException e) {
                vertx.runOnContext(v -> BoundedBody.refuseUnread(
                        ctx, 503, "Service Unavailable", "the app's database failed: " + e.getMessage()));
                return;
            }
            if (!live) {
                vertx.runOnContext(v -> BoundedBody.refuseUnread(
                        ctx,
                        403,
                        "Forbidden",
                        "key is missing or belongs to no live session of App " + runtime.qualifiedName()
                                + ": key = hex(sha256(\"generic-dbfiles:\" + session key))"));
                return;
            }
            String del = request.getParam("del");
            if (del != null) {
                delete(ctx, runtime, platform, store, del, vertx);
            } else {
                vertx.runOnContext(v -> upload(ctx, runtime, platform, store, vertx));
            }
        }

        private static void delete(
                RoutingContext ctx,
                AppRuntime runtime,
                AppPlatform platform,
                FileStore store,
                String del,
                Vertx vertx) {
            try {
                long id = Long.parseLong(del);
                boolean deleted = platform.files().delete(runtime.schema(), store, id);
                vertx.runOnContext(v -> {
                    if (deleted) {
                        ctx.response().putHeader("Content-Type", JSON_TYPE).end("{\"ok\":true,\"id\":" + id + "}");
                    } else {
                        ErrorBody.send(
                                ctx.response(), 404, "Not Found", "no file " + id + " in dbfiles " + store.name());
                    }
                });
            } catch (NumberFormatException e) {
                vertx.runOnContext(v ->
                        ErrorBody.send(ctx.response(), 400, "Bad Request", "del must be a file id, not '" + del + "'"));
            } catch (SQLException e) {
                vertx.runOnContext(v -> ErrorBody.send(
                        ctx.response(), 503, "Service Unavailable", "the app's database failed: " + e.getMessage()));
            }
        }

        /** Spools the body to a temporary file at the client's pace, then streams it into the database. */
        private static void upload(
                RoutingContext ctx, AppRuntime runtime, AppPlatform platform, FileStore store, Vertx vertx) {
            HttpServerRequest request = ctx.request();
            String folder = request.getParam("folder");
            String name = request.getParam("name");
            long max = platform.settings().maxFileBytes();
            String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && declared.matches("\\d+") && Long.parseLong(declared) > max) {
                BoundedBody.refuseUnread(
                        ctx,
                        413,
                        "Payload Too Large",
                        "the file is larger than " + max + " bytes (scriptforge.apps.max-file-bytes)");
                return;
            }
            Path spool;
            try {
                spool = Files.createTempFile("scriptforge-upload", ".part");
            } catch (IOException e) {
                ErrorBody.send(
                        ctx.response(), 500, "Internal Server Error", "cannot spool the upload: " + e.getMessage());
                return;
            }
            vertx.fileSystem()
                    .open(spool.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .onSuccess(file -> {
                        long[] received = {0};
                        request.handler(chunk -> {
                            received[0] += chunk.length();
                            if (received[0] > max) {
                                request.handler(null);
                                file.close();
                                deleteQuietly(spool);
                                BoundedBody.refuseUnread(
                                        ctx,
                                        413,
                                        "Payload Too Large",
                                        "the file is larger than " + max + " bytes (scriptforge.apps.max-file-bytes)");
                                return;
                            }
                            file.write(chunk);
                            if (file.writeQueueFull()) {
                                request.pause();
                                file.drainHandler(v -> request.resume());
                                if (!file.writeQueueFull()) {
                                    request.resume(); // it drained before the handler was there to hear it
                                }
                            }
                        });
                        // A client gone mid-upload leaves no spool file behind.
                        request.exceptionHandler(e -> {
                            file.close();
                            deleteQuietly(spool);
                        });
                        request.endHandler(v -> {
                            if (ctx.response().ended()) {
                                return;
                            }
                            file.close()
                                    .onComplete(closed -> Thread.ofVirtual()
                                            .start(() -> store(
                                                    ctx, runtime, platform, store, folder, name, spool, max, vertx)));
                        });
                        request.resume();
                    })
                    .onFailure(e -> {
                        deleteQuietly(spool);
                        ErrorBody.send(
                                ctx.response(),
                                500,
                                "Internal Server Error",
                                "cannot spool the upload: " + e.getMessage());
                    });
        }

        private static void store(
                RoutingContext ctx,
                AppRuntime runtime,
                AppPlatform platform,
                FileStore store,
                String folder,
                String name,
                Path spool,
                long max,
                Vertx vertx) {
            try (InputStream in = Files.newInputStream(spool)) {
                long id = platform.files().store(runtime.schema(), store, folder, name, in, max);
                vertx.runOnContext(v ->
                        ctx.response().putHeader("Content-Type", JSON_TYPE).end("{\"ok\":true,\"id\":" + id + "}"));
            } catch (FileTooLargeException e) {
                vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 413, "Payload Too Large", e.getMessage()));
            } catch (IllegalArgumentException e) {
                vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 400, "Bad Request", e.getMessage()));
            } catch (SQLException | IOException e) {
                vertx.runOnContext(v -> ErrorBody.send(
                        ctx.response(), 503, "Service Unavailable", "the file was not stored: " + e.getMessage()));
            } finally {
                deleteQuietly(spool);
            }
        }

        private static void download(RoutingContext ctx, AppRuntime runtime, AppPlatform platform, FileStore store) {
            HttpServerRequest request = ctx.request();
            long id;
            try {
                id = Long.parseLong(request.getParam("id", ""));
            } catch (NumberFormatException e) {
                ErrorBody.send(
                        ctx.response(),
                        400,
                        "Bad Request",
                        "a dbfiles download needs id=<file id> (the url DbFilesList gives)");
                return;
            }
            long expires;
            try {
                expires = Long.parseLong(request.getParam("expires", ""));
            } catch (NumberFormatException e) {
                ErrorBody.send(
                        ctx.response(),
                        403,
                        "Forbidden",
                        "a dbfiles download needs the url DbFilesList gives (this one has no expiry)");
                return;
            }
            DownloadGrant grant = new DownloadGrant(store.name(), id, request.getParam("session", ""), expires);
            if (!DbFilesStore.tokenMatches(runtime.manifest().password(), grant, request.getParam("token"))) {
                ErrorBody.send(
                        ctx.response(),
                        403,
                        "Forbidden",
                        "token does not match this file: use the url DbFilesList gives");
                return;
            }
            if (grant.expiredAt(Instant.now())) {
                ErrorBody.send(
                        ctx.response(),
                        403,
                        "Forbidden",
                        "this download url expired at " + Instant.ofEpochSecond(expires)
                                + ": list the folder again (DbFilesList) for a fresh one");
                return;
            }
            HttpServerResponse response = ctx.response();
            io.vertx.core.Context loop = Vertx.currentContext();
            Thread.ofVirtual().start(() -> {
                try {
                    if (!platform.sessions().isLiveDownloadRef(runtime.schema(), grant.session())) {
                        loop.runOnContext(
                                v -> ErrorBody.send(
                                        response,
                                        403,
                                        "Forbidden",
                                        "the session that listed this file has ended: log in and list the folder again for a fresh url"));
                        return;
                    }
                    Optional<FileInfo> info = platform.files().info(runtime.schema(), store, id);
                    if (info.isEmpty()) {
                        loop.runOnContext(v -> ErrorBody.send(
                                response, 404, "Not Found", "no file " + id + " in dbfiles " + store.name()));
                        return;
                    }
                    loop.runOnContext(v -> response.putHeader(
                                    "Content-Type", ContentTypes.of(info.get().name()))
                            .putHeader("X-Content-Type-Options", "nosniff")
                            .putHeader(
                                    HttpHeaders.CONTENT_LENGTH,
                                    String.valueOf(info.get().size())));
                    platform.files()
                            .download(
                                    runtime.schema(),
                                    store,
                                    id,
                                    chunk -> Backpressure.write(response, loop, Buffer.buffer(chunk)));
                    loop.runOnContext(v -> response.end());
                } catch (SQLException | IOException | RuntimeException e) {
                    loop.runOnContext(v -> {
                        if (response.headWritten()) {
                            response.reset();
                        } else {
                            ErrorBody.send(
                                    response,
                                    503,
                                    "Service Unavailable",
                                    "the file could not be read: " + e.getMessage());
                        }
                    });
                }
            });
        }

        private static void deleteQuietly(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans its temp directory
            }
        }
    }
}
