package io.scriptforge.runner.gateway;

import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.files.DbFilesStore;
import io.scriptforge.runner.app.files.DownloadGrant;
import io.scriptforge.runner.app.files.FileInfo;
import io.scriptforge.runner.app.files.FileTooLargeException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * dbfiles over HTTP, on an App's path with {@code ?dbfiles=<store>}: POST stores a file (or deletes one with
 * {@code del=}), for a live session's key; GET returns a listed file's bytes, for the signed url DbFilesList gave.
 * The database work runs as {@link BlockingWork}, bounded.
 */
@ApplicationScoped
class DbFilesHandler {
    private static final String JSON_TYPE = "application/json";

    @Inject
    AppPlatform platform;

    @Inject
    Vertx vertx;

    @Inject
    BlockingWork blockingWork;

    void handle(RoutingContext ctx, AppRuntime runtime) {
        HttpServerRequest request = ctx.request();
        String storeName = request.getParam("dbfiles");
        FileStore store = runtime.manifest().fileStore(storeName).orElse(null);
        if (store == null) {
            ErrorBody.send(
                    ctx.response(), 404, "no dbfiles store '" + storeName + "' in App " + runtime.qualifiedName());
            return;
        }
        if (request.method() == HttpMethod.GET) {
            download(ctx, runtime, store);
        } else if (request.method() == HttpMethod.POST) {
            request.pause();
            blockingWork.start(ctx, "scriptforge-dbfiles-post", () -> authorizedPost(ctx, runtime, store));
        } else {
            ErrorBody.send(ctx.response(), 405, "dbfiles takes POST (upload, or del=<id>) and GET (download)");
        }
    }

    private void authorizedPost(RoutingContext ctx, AppRuntime runtime, FileStore store) {
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
            delete(ctx, runtime, store, del);
        } else {
            vertx.runOnContext(v -> upload(ctx, runtime, store));
        }
    }

    private void delete(RoutingContext ctx, AppRuntime runtime, FileStore store, String del) {
        try {
            long id = Long.parseLong(del);
            boolean deleted = platform.files().delete(runtime.schema(), store, id);
            vertx.runOnContext(v -> {
                if (deleted) {
                    ctx.response().putHeader("Content-Type", JSON_TYPE).end("{\"ok\":true,\"id\":" + id + "}");
                } else {
                    ErrorBody.send(ctx.response(), 404, "no file " + id + " in dbfiles " + store.name());
                }
            });
        } catch (NumberFormatException e) {
            vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 400, "del must be a file id, not '" + del + "'"));
        } catch (SQLException e) {
            vertx.runOnContext(
                    v -> ErrorBody.send(ctx.response(), 503, "the app's database failed: " + e.getMessage()));
        }
    }

    /** Spools the body to a temporary file at the client's pace, then streams it into the database. */
    private void upload(RoutingContext ctx, AppRuntime runtime, FileStore store) {
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
            ErrorBody.send(ctx.response(), 500, "cannot spool the upload: " + e.getMessage());
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
                        file.close().onComplete(closed -> {
                            if (!blockingWork.start(
                                    ctx,
                                    "scriptforge-dbfiles-store",
                                    () -> store(ctx, runtime, store, folder, name, spool, max))) {
                                deleteQuietly(spool); // refused: nothing will read it
                            }
                        });
                    });
                    request.resume();
                })
                .onFailure(e -> {
                    deleteQuietly(spool);
                    ErrorBody.send(ctx.response(), 500, "cannot spool the upload: " + e.getMessage());
                });
    }

    private void store(
            RoutingContext ctx, AppRuntime runtime, FileStore store, String folder, String name, Path spool, long max) {
        try (InputStream in = Files.newInputStream(spool)) {
            long id = platform.files().store(runtime.schema(), store, folder, name, in, max);
            vertx.runOnContext(
                    v -> ctx.response().putHeader("Content-Type", JSON_TYPE).end("{\"ok\":true,\"id\":" + id + "}"));
        } catch (FileTooLargeException e) {
            vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 413, "Payload Too Large", e.getMessage()));
        } catch (IllegalArgumentException e) {
            vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 400, e.getMessage()));
        } catch (SQLException | IOException e) {
            vertx.runOnContext(v -> ErrorBody.send(ctx.response(), 503, "the file was not stored: " + e.getMessage()));
        } finally {
            deleteQuietly(spool);
        }
    }

    private void download(RoutingContext ctx, AppRuntime runtime, FileStore store) {
        HttpServerRequest request = ctx.request();
        long id;
        try {
            id = Long.parseLong(request.getParam("id", ""));
        } catch (NumberFormatException e) {
            ErrorBody.send(ctx.response(), 400, "a dbfiles download needs id=<file id> (the url DbFilesList gives)");
            return;
        }
        long expires;
        try {
            expires = Long.parseLong(request.getParam("expires", ""));
        } catch (NumberFormatException e) {
            ErrorBody.send(
                    ctx.response(), 403, "a dbfiles download needs the url DbFilesList gives (this one has no expiry)");
            return;
        }
        DownloadGrant grant = new DownloadGrant(store.name(), id, request.getParam("session", ""), expires);
        if (!DbFilesStore.tokenMatches(runtime.manifest().password(), grant, request.getParam("token"))) {
            ErrorBody.send(ctx.response(), 403, "token does not match this file: use the url DbFilesList gives");
            return;
        }
        if (grant.expiredAt(Instant.now())) {
            ErrorBody.send(
                    ctx.response(),
                    403,
                    "this download url expired at " + Instant.ofEpochSecond(expires)
                            + ": list the folder again (DbFilesList) for a fresh one");
            return;
        }
        HttpServerResponse response = ctx.response();
        io.vertx.core.Context loop = Vertx.currentContext();
        blockingWork.start(ctx, "scriptforge-dbfiles-get", () -> {
            try {
                if (!platform.sessions().isLiveDownloadRef(runtime.schema(), grant.session())) {
                    loop.runOnContext(
                            v -> ErrorBody.send(
                                    response,
                                    403,
                                    "the session that listed this file has ended: log in and list the folder again for a fresh url"));
                    return;
                }
                Optional<FileInfo> info = platform.files().info(runtime.schema(), store, id);
                if (info.isEmpty()) {
                    loop.runOnContext(
                            v -> ErrorBody.send(response, 404, "no file " + id + " in dbfiles " + store.name()));
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
                        ErrorBody.send(response, 503, "the file could not be read: " + e.getMessage());
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
