package io.scriptforge.sandbox;

import io.scriptforge.sandbox.bridge.HostFailure;

/** What a sandbox may ask of its runner: the whole host surface a script can reach. */
public interface SandboxHost {
    /** A console line of the invocation running in {@code context}. */
    void log(SandboxContext context, String level, String message);

    /** Run the runtime's timer {@code id} in {@code context} after {@code delayMillis}. */
    void setTimer(SandboxContext context, int id, long delayMillis);

    void clearTimer(SandboxContext context, int id);

    /**
     * Starts an HTTP request of the invocation running in {@code context}, under the runner's egress
     * policy and the invocation's deadline. Its outcome is delivered later on the invocation's
     * JavaScript thread through {@link SandboxContext#completeOp}; until then the invocation is pending.
     *
     * @param specJson {@code {method, url, headers: [[name, value]...], timeoutMillis}}
     */
    void httpRequest(SandboxContext context, int opId, String specJson, String bodyBase64);

    /**
     * Opens a TCP connection for the invocation running in {@code context} (Node's net, for ftp), under
     * the egress policy. Its events arrive through {@link SandboxContext#completeOp}, the last one being
     * close; the operation is pending until then.
     */
    void socketConnect(SandboxContext context, int opId, String host, int port);

    /** Writes to, half-closes ({@code data == null}) the connection of operation {@code opId}. */
    void socketWrite(SandboxContext context, int opId, String dataBase64);

    /** Abandons pending host operation {@code opId}: its outcome is never delivered. */
    void cancelOp(SandboxContext context, int opId);

    /** The Script named {@code name} of the context's namespace, to be loaded as a module, if any. */
    ModuleLookup findModule(SandboxContext context, String name);

    /**
     * A call of the script's {@code kv} global, on the namespace of the context's script: {@code op}
     * is get, set, incr, delete or keys. Blocks the JavaScript thread until the store answers.
     *
     * @param arg the op's argument: set's value as JSON, incr's amount, keys' prefix, else null
     * @param ttlMillis set's time to live, or a negative number for none
     * @return the result as JSON, or null for none (a missing key)
     * @throws HostFailure what the script is told when the call is refused or fails
     */
    String kv(SandboxContext context, String op, String key, String arg, long ttlMillis);

    /**
     * A call of the script's {@code jobs} global (enqueue, get, progress), within the namespace of the
     * context's script. Blocks the JavaScript thread until the store answers.
     *
     * @param argsJson the call's arguments, as a JSON object the runtime packed
     * @return as {@link #kv}: the result as JSON, or null for nothing
     * @throws HostFailure what the script is told when the call is refused or fails
     */
    default String jobs(SandboxContext context, String op, String argsJson) {
        throw new HostFailure("jobs are not available on this runner");
    }

    /** Answer of {@link #findModule}: a script to load, a script that cannot load, or nothing. */
    record ModuleLookup(CompiledScript script, String loadError) {
        public static final ModuleLookup MISSING = new ModuleLookup(null, null);
    }
}
