package io.scriptforge.runner.egress;

import java.util.List;
import java.util.Map;

/** One buffered HTTP exchange between a Script's modules and the outside world, as the runtime encodes it. */
public final class HttpExchange {
    private HttpExchange() {}

    /** What the sandbox asks for. Headers keep their order and repeats. */
    public record Request(String method, String url, List<List<String>> headers, long timeoutMillis) {}

    /** The answer: the body decompressed, its headers as sent (content-encoding dropped). */
    public record Response(int status, String statusText, List<List<String>> headers, String body) {}

    /**
     * Why the exchange failed, with Node's error code so libraries react as they do in Node:
     * {@code EGRESS_DENIED}, {@code ETIMEDOUT}, {@code ENOTFOUND}, {@code ECONNREFUSED}, {@code E2BIG}...
     */
    public record Failure(String message, String code) {
        public Map<String, String> asMap() {
            return Map.of("message", message, "code", code);
        }
    }
}
