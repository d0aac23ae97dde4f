package io.scriptforge.runner.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Reads a request body up to a limit, counted as it arrives, so a chunked body (no Content-Length) is bounded
 * like a declared one: past the limit the client gets 413 at once and the connection closes, and nothing more is
 * read or kept. For routes that cannot use Vert.x's BodyHandler (a paused request whose body an App's service gets).
 */
final class BoundedBody {
    private BoundedBody() {}

    /** Reads the paused request's body and hands it to {@code then}, unless it passes {@code max} bytes. */
    static void read(RoutingContext ctx, long max, String setting, Consumer<Buffer> then) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > max) {
            tooLarge(ctx, max, setting);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > max) {
                request.handler(null);
                tooLarge(ctx, max, setting);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(
                e -> ErrorBody.send(ctx.response(), 400, "the body could not be read: " + e.getMessage()));
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                then.accept(body);
            }
        });
        request.resume();
    }

    /** 413 in the gateway's error format, then the rest of the body is never read. */
    static void tooLarge(RoutingContext ctx, long max, String setting) {
        refuseUnread(ctx, 413, "Payload Too Large", "the body is larger than " + max + " bytes (" + setting + ")");
    }

    /**
     * An answer before the body was read. Over HTTP/1.1 the connection closes, so the client stops sending into it;
     * over HTTP/2 the stream has ended with the answer and only it (the connection carries other requests).
     */
    static void refuseUnread(RoutingContext ctx, int code, String reason, String message) {
        boolean http1 = ctx.request().version() != HttpVersion.HTTP_2;
        if (http1) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ErrorBody.send(ctx.response(), code, reason, message);
        if (http1) {
            ctx.request().connection().close();
        }
    }
}
