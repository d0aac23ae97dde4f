package io.scriptforge.runner.egress;

import java.time.Duration;

/**
 * Bounds of every HTTP exchange a Script's modules make; the invocation's deadline bounds it too.
 *
 * @param maxRequestBytes  largest request body sent
 * @param maxResponseBytes largest (decompressed) response body read; a larger one fails the exchange
 * @param timeout          longest one exchange may take, connecting included
 */
public record EgressLimits(long maxRequestBytes, long maxResponseBytes, Duration timeout) {
    public static final long DEFAULT_MAX_REQUEST_BYTES = 10L << 20;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final EgressLimits DEFAULT =
            new EgressLimits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT);
}
