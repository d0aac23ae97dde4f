package io.scriptforge.runner.egress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Turns a host name into the one address a Script's connection may use: the name checked against the
 * pool's allowed hosts, resolved, and every address checked. Callers connect to that address, never
 * to the name again, so DNS cannot be re-pointed after the check.
 */
final class EgressResolver {
    private final Vertx vertx;
    private final EgressPolicy policy;

    EgressResolver(Vertx vertx, EgressPolicy policy) {
        this.vertx = vertx;
        this.policy = policy;
    }

    /** Why a connection is refused or impossible, with Node's error code. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** The message a Script sees for a connection to {@code what} ("GET https://x/", "connect x:21"). */
        String describe(String what) {
            return code.equals("EGRESS_DENIED") ? "egress denied: " + what + ": " + getMessage() : getMessage();
        }
    }

    /** The checked address of {@code host}, or a failed future carrying a {@link Refused}. */
    Future<InetAddress> resolve(String host) {
        Optional<String> refused = policy.refuseHost(host);
        if (refused.isPresent()) {
            return Future.failedFuture(new Refused("EGRESS_DENIED", refused.get()));
        }
        // The JDK resolver blocks: off the event loop. A literal address needs no lookup and returns at once.
        return vertx.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false)
                .transform(resolved -> {
                    if (resolved.failed()) {
                        return Future.failedFuture(new Refused(
                                "ENOTFOUND",
                                "cannot resolve '" + host + "': "
                                        + resolved.cause().getMessage()));
                    }
                    String why = null;
                    for (InetAddress candidate : resolved.result()) {
                        Optional<String> no = policy.refuseAddress(candidate);
                        if (no.isEmpty()) {
                            return Future.succeededFuture(candidate);
                        }
                        why = no.get();
                    }
                    boolean literal = resolved.result().length == 1
                            && resolved.result()[0].getHostAddress().equalsIgnoreCase(host);
                    return Future.failedFuture(new Refused(
                            "EGRESS_DENIED",
                            literal ? why : "'" + host + "' resolves only to refused addresses; " + why));
                });
    }
}
