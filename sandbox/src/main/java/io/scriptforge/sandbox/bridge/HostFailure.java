package io.scriptforge.sandbox.bridge;

/**
 * A host function's refusal or failure, in words for the script: the bridge throws it into JavaScript as an
 * {@code Error} at the call (a kv key that is too long, an unknown job, a store that is down). Anything else a
 * host function throws is a defect of the runner and is not dressed up as the script's error.
 */
public final class HostFailure extends RuntimeException {
    public HostFailure(String message) {
        super(message, null, false, false); // the script sees the message; a Java stack means nothing to it
    }
}
