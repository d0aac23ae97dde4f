package io.scriptforge.runner.invoke;

import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.bridge.HostFailure;

/** The host side of the scripts' {@code kv} global, as the invoker calls it (the kv package implements it). */
public interface KvGlobal {
    /** A runner without a store: every call is refused, saying so. */
    KvGlobal NONE = (script, op, key, arg, ttlMillis) -> {
        throw new HostFailure("kv is not available on this runner");
    };

    /**
     * One call of the global, on the namespace of {@code script}, on its JS thread (it blocks until the store
     * answers).
     *
     * @param op get, set, incr, delete or keys
     * @param arg the op's argument: set's value as JSON, incr's amount, keys' prefix, else null
     * @param ttlMillis set's time to live, or a negative number for none
     * @return the result as JSON, or null for none (a missing key)
     * @throws HostFailure what the script is told when the call is refused or fails
     */
    String call(CompiledScript script, String op, String key, String arg, long ttlMillis);
}
