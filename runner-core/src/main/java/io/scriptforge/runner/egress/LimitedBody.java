package io.scriptforge.runner.egress;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/** A response body buffered up to a limit: past it the exchange fails, so a Script cannot fill the runner's heap. */
final class LimitedBody {
    private final long max;

    LimitedBody(long max) {
        this.max = max;
    }

    /** Thrown (as the exchange's failure) when the body passes the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("the response body exceeds the runner's limit of " + max
                    + " bytes (scriptforge.egress.max-response-bytes)");
        }
    }

    BodyCodec<Buffer> codec() {
        return new BodyCodec<>() {
            @Override
            public void create(Handler<AsyncResult<BodyStream<Buffer>>> callback) {
                callback.handle(Future.succeededFuture(new Stream()));
            }
        };
    }

    private final class Stream implements BodyStream<Buffer> {
        private final Buffer buffer = Buffer.buffer();
        private final Promise<Buffer> result = Promise.promise();
        private Handler<Throwable> exceptionHandler;

        @Override
        public Future<Buffer> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public Stream exceptionHandler(Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (buffer.length() + (long) data.length() > max) {
                TooLarge tooLarge = new TooLarge(max);
                result.tryFail(tooLarge);
                if (exceptionHandler != null) {
                    exceptionHandler.handle(tooLarge);
                }
                return Future.failedFuture(tooLarge);
            }
            buffer.appendBuffer(data);
            return Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(data);
            if (handler != null) {
                handler.handle(written);
            }
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            result.tryComplete(buffer);
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        @Override
        public Stream setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public Stream drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
