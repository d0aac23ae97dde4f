package io.scriptforge.runner.gateway;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes from a blocking (virtual) thread at the client's pace: waits while the write queue is full. */
final class Backpressure {
    private static final long DRAIN_TIMEOUT_SECONDS = 30;

    private Backpressure() {}

    static void write(HttpServerResponse response, Context loop, Buffer chunk) {
        CompletableFuture<Void> room = new CompletableFuture<>();
        loop.runOnContext(v -> {
            if (response.closed()) {
                room.completeExceptionally(new IllegalStateException("the client went away"));
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                response.drainHandler(x -> room.complete(null));
            } else {
                room.complete(null);
            }
        });
        try {
            room.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the client stopped reading");
        }
    }
}
