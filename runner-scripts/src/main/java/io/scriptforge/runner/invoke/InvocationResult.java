package io.scriptforge.runner.invoke;

import io.scriptforge.crd.SipStatus;

/** How an invocation ended, independent of HTTP. */
public sealed interface InvocationResult {
    /** main returned a string. */
    record Text(String body) implements InvocationResult {}

    /** main returned any other JSON value (already serialized). */
    record Json(String body) implements InvocationResult {}

    /** main returned undefined. */
    record Empty() implements InvocationResult {}

    /**
     * The invocation failed: a SIP-style status the script threw, or one the platform chose
     * (500 for an uncaught error, the timeout action, 487 on cancel).
     *
     * @param message details for a person, or null when the status says it all
     * @param at      {@code file:line:column} in the script where the error was thrown, or null
     */
    record Failure(SipStatus status, String message, String at, int line, int column) implements InvocationResult {
        public static Failure of(int code, String reason, String message) {
            return new Failure(new SipStatus(code, reason), message, null, 0, 0);
        }

        /** The script's timeout action, for an invocation that ran past {@code timeout} (the script's, or a warm-up's). */
        public static Failure timedOut(io.scriptforge.sandbox.CompiledScript script, java.time.Duration timeout) {
            return new Failure(
                    script.timeoutAction(),
                    "the invocation ran past its timeout of " + timeout.toMillis() + " ms",
                    null,
                    0,
                    0);
        }

        /** Back-pressure: the runner refuses rather than queue without bound. */
        public static Failure busy(String why) {
            return of(503, "Service Unavailable", "runner busy: " + why + "; retry later");
        }
    }

    Empty EMPTY = new Empty();
}
