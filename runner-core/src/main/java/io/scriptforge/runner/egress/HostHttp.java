package io.scriptforge.runner.egress;

import java.util.function.BiConsumer;

/** The runner's HTTP client for the Scripts' modules, under the pool's egress policy. */
public interface HostHttp {
    /**
     * Starts an exchange. {@code onDone} runs exactly once, on some host thread, with a failure or a
     * response (the other one null), unless the exchange was cancelled first.
     *
     * @param remainingMillis what is left of the invocation's deadline: the exchange never outlives it
     */
    Cancellable send(
            HttpExchange.Request request,
            byte[] body,
            long remainingMillis,
            BiConsumer<HttpExchange.Failure, HttpExchange.Response> onDone);

    /** An exchange in flight. */
    interface Cancellable {
        void cancel();
    }

    /** For runners without one (tests of other parts): every request fails, saying so. */
    HostHttp NONE = refusing("this runner has no HTTP client for Scripts");

    /** A client that fails every request at once with {@code message}, as a denied egress does. */
    static HostHttp refusing(String message) {
        return (request, body, remainingMillis, onDone) -> {
            onDone.accept(new HttpExchange.Failure(message, "EGRESS_DENIED"), null);
            return () -> {};
        };
    }
}
