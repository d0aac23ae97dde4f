package io.scriptforge.sandbox;

import io.scriptforge.crd.ScriptType;
import io.scriptforge.crd.SipStatus;
import java.time.Duration;
import org.graalvm.polyglot.Source;

/**
 * A Script ready to run: its module body wrapped as a function (so every invocation can call it
 * anew and get fresh top-level bindings), and everything the runtime needs, precomputed once.
 *
 * @param code         the user's source as written
 * @param esModule     true for ES module syntax (import/export): evaluated as a module, in a fresh
 *                     context per invocation unless the type keeps state
 * @param varsJson     the spec's vars as JSON, or null
 * @param runtimeMeta  the JSON the sandbox runtime is started with (names, env, type flags)
 * @param retired      set once a newer version replaced this one, or it was deleted
 *
 * <p>Equality is identity: per-script state keyed by a CompiledScript (its context pool) belongs to
 * that compilation only; {@link #sameDefinition} tells whether a reload changed anything.
 */
public record CompiledScript(
        String namespace,
        String name,
        String uuid,
        ScriptType type,
        String codeHash,
        String code,
        boolean esModule,
        Source moduleSource,
        String varsJson,
        String runtimeMeta,
        Duration timeout,
        SipStatus timeoutAction,
        java.util.concurrent.atomic.AtomicBoolean retired) {

    /** The file name scripts see in stack traces: {@code <namespace>/<name>.js}. */
    public static String fileName(String namespace, String name) {
        return namespace + "/" + name + ".js";
    }

    /** True when {@code other} was compiled from the same definition: a reload changed nothing. */
    public boolean sameDefinition(CompiledScript other) {
        return other != null
                && uuid.equals(other.uuid)
                && type == other.type
                && code.equals(other.code)
                && moduleSource.equals(other.moduleSource)
                && java.util.Objects.equals(varsJson, other.varsJson)
                && runtimeMeta.equals(other.runtimeMeta)
                && timeout.equals(other.timeout)
                && timeoutAction.equals(other.timeoutAction);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    public boolean isRetired() {
        return retired.get();
    }

    /** Whether one context may serve several invocations: not for ES modules that must start fresh. */
    public boolean reusesContexts() {
        return !esModule || type.keepsState();
    }

    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
