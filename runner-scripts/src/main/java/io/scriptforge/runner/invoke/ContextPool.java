package io.scriptforge.runner.invoke;

import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.SandboxContext;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The sandbox contexts of one compiled script. A context serves one invocation at a time; idle ones
 * are kept warm for the next. Beyond {@code maxContexts}, invocations wait here (bounded).
 * A worker script has exactly one context, so its state is the runner's.
 */
final class ContextPool {
    private final CompiledScript script;
    private final int maxContexts;
    private final int maxWaiting;
    private final Supplier<SandboxContext> factory;
    private final ArrayDeque<SandboxContext> idle = new ArrayDeque<>();
    private final ArrayDeque<Invocation> waiting = new ArrayDeque<>();
    private int live;
    private boolean retired;

    ContextPool(CompiledScript script, int maxContexts, int maxWaiting, Supplier<SandboxContext> factory) {
        this.script = script;
        this.maxContexts = maxContexts;
        this.maxWaiting = maxWaiting;
        this.factory = factory;
    }

    CompiledScript script() {
        return script;
    }

    /** A context for {@code invocation}, or null when it was queued to wait for one. */
    synchronized SandboxContext acquire(Invocation invocation) throws PoolFullException {
        SandboxContext context = idle.pollFirst();
        if (context != null) {
            return context;
        }
        if (live < maxContexts) {
            live++;
            return factory.get();
        }
        if (waiting.size() >= maxWaiting) {
            throw new PoolFullException(script.qualifiedName() + " has " + maxWaiting + " invocations waiting already");
        }
        waiting.add(invocation);
        return null;
    }

    /** A new context to build ahead of traffic, or null when the pool has one idle or is full. */
    synchronized SandboxContext reserveForWarmUp() {
        if (retired || !idle.isEmpty() || live >= maxContexts) {
            return null;
        }
        live++;
        return factory.get();
    }

    /**
     * Gives a context back. When an invocation waits, it gets the context (or a new one if this one
     * may not be reused): the returned pair tells the caller to dispatch it.
     */
    synchronized Handover release(SandboxContext context, boolean reusable) {
        if (!reusable || retired) {
            context.close();
            Invocation next = retired ? null : waiting.poll();
            if (next == null) {
                live--;
                return null;
            }
            return new Handover(next, factory.get());
        }
        Invocation next = waiting.poll();
        if (next != null) {
            return new Handover(next, context);
        }
        idle.addFirst(context);
        return null;
    }

    synchronized void forget(Invocation invocation) {
        waiting.remove(invocation);
    }

    /** The script changed or was deleted: close idle contexts now, busy ones when they come back. */
    synchronized void retire() {
        retired = true;
        idle.forEach(SandboxContext::close);
        live -= idle.size();
        idle.clear();
    }

    synchronized Iterable<Invocation> drainWaiting() {
        ArrayDeque<Invocation> drained = new ArrayDeque<>(waiting);
        waiting.clear();
        return drained;
    }

    record Handover(Invocation invocation, SandboxContext context) {}

    static final class PoolFullException extends Exception {
        PoolFullException(String message) {
            super(message);
        }
    }
}
