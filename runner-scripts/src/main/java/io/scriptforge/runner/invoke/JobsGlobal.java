package io.scriptforge.runner.invoke;

import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.bridge.HostFailure;

/** The host side of the scripts' {@code jobs} global, as the invoker calls it (the jobs package implements it). */
public interface JobsGlobal {
    /** A runner without jobs: every call is refused, saying so. */
    JobsGlobal NONE = (script, triggerJson, op, argsJson) -> {
        throw new HostFailure("jobs are not available on this runner");
    };

    /**
     * One call of the global, on the script's JS thread (it blocks until the database answers).
     *
     * @param triggerJson the invocation's ctx.trigger, which tells progress() its job
     * @param argsJson    the call's arguments as the runtime packed them
     * @return like kv: the result as JSON, or null for nothing
     * @throws HostFailure what the script is told when the call is refused or fails
     */
    String call(CompiledScript script, String triggerJson, String op, String argsJson);
}
