package io.scriptforge.runner.invoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.SipStatus;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.SandboxContext;
import io.scriptforge.sandbox.SandboxHost;
import io.scriptforge.sandbox.bridge.HostFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.graalvm.polyglot.PolyglotException;
import org.jboss.logging.Logger;

/**
 * Runs invocations: JavaScript on a bounded pool of its own threads (never the gateway's event
 * loop), one context per invocation, with a watchdog that ends any invocation at its deadline, on
 * cancel, or past its memory budget, and answers at once while the runaway code is stopped.
 */
public final class Invoker implements SandboxHost, ScriptRegistry.Lifecycle, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Invoker.class);
    private static final long JS_THREAD_STACK_BYTES = 16L << 20;
    private static final String WARM_UP_TRIGGER = "{\"type\":\"warmup\"}";
    private static final String WARM_UP_REFUSAL =
            " is refused in a warm-up invocation (ctx.trigger.type 'warmup'): it must change no data";

    private final JsEngine engine;
    private final InvokerOptions options;
    private final ScriptServices services;
    private final ResultDecoder decoder;
    private final HostOperations hostOps;
    private final ThreadPoolExecutor jsThreads;
    private final FairShare fairShare;
    private final Watchdog watchdog;
    private final AtomicInteger warmingUp = new AtomicInteger();
    private final ConcurrentHashMap<String, Invocation> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CompiledScript, ContextPool> pools = new ConcurrentHashMap<>();

    /**
     * @param services what the scripts' globals reach (console lines, require, kv, jobs, HTTP and TCP)
     */
    public Invoker(JsEngine engine, InvokerOptions options, ObjectMapper json, ScriptServices services) {
        this.engine = engine;
        this.services = services;
        this.hostOps = new HostOperations(json, services.http(), services.sockets(), this::submit, this::afterTask);
        this.options = options;
        this.decoder = new ResultDecoder(json);
        AtomicInteger n = new AtomicInteger();
        this.jsThreads = new ThreadPoolExecutor(
                options.threads(),
                options.threads(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queueCapacity()),
                r -> daemon(new Thread(null, r, "sf-js-" + n.incrementAndGet(), JS_THREAD_STACK_BYTES)));
        this.fairShare = new FairShare(
                jsThreads, options.threadsPerScript(), options.threadsPerNamespace(), options.queueCapacity());
        this.watchdog = new Watchdog(options, live::values, this::end);
    }

    /**
     * Starts an invocation; {@code onDone} receives its result exactly once, on some thread.
     * @throws DuplicateInvocationException when an invocation with that id is still running
     */
    public Invocation start(CompiledScript script, String id, String bodyJson, Consumer<InvocationResult> onDone)
            throws DuplicateInvocationException {
        return start(script, id, bodyJson, null, onDone);
    }

    /**
     * The same, for an invocation the platform starts itself (a schedule's tick, a job).
     *
     * @param triggerJson what started it, a JSON object the script reads as {@code ctx.trigger}; null for a request
     */
    public Invocation start(
            CompiledScript script, String id, String bodyJson, String triggerJson, Consumer<InvocationResult> onDone)
            throws DuplicateInvocationException {
        return start(script, id, bodyJson, triggerJson, script.timeout(), false, onDone);
    }

    /**
     * A warm-up invocation: the runner's own dry run of {@code script}, before it reports ready, so the
     * compilers have seen its code. main gets ctx.trigger {@code {type: "warmup"}}; every host effect is
     * refused (kv, jobs, HTTP, TCP, timers) and its console lines are dropped, so it changes no tenant
     * data and calls nothing out; it is not listed by {@link #running()} and cannot be cancelled by a client.
     *
     * @param timeout how long it may run (the warm-up's choice, not necessarily the script's timeout)
     */
    public Invocation startWarmUp(
            CompiledScript script, String id, String bodyJson, Duration timeout, Consumer<InvocationResult> onDone)
            throws DuplicateInvocationException {
        return start(script, id, bodyJson, WARM_UP_TRIGGER, timeout, true, onDone);
    }

    private Invocation start(
            CompiledScript script,
            String id,
            String bodyJson,
            String triggerJson,
            Duration timeout,
            boolean warmUp,
            Consumer<InvocationResult> onDone)
            throws DuplicateInvocationException {
        Invocation[] self = new Invocation[1];
        Invocation invocation = new Invocation(id, script, bodyJson, triggerJson, timeout, warmUp, result -> {
            live.remove(id, self[0]);
            onDone.accept(result);
        });
        self[0] = invocation;
        if (live.putIfAbsent(id, invocation) != null) {
            throw new DuplicateInvocationException(id);
        }
        ContextPool pool = poolFor(script);
        if (pool == null) { // the script was reloaded since the request found it: a one-off context
            dispatch(invocation, new SandboxContext(script, engine, this));
            return invocation;
        }
        SandboxContext context;
        try {
            context = pool.acquire(invocation);
        } catch (ContextPool.PoolFullException e) {
            invocation.finish(InvocationResult.Failure.busy(e.getMessage()));
            return invocation;
        }
        if (context != null) {
            dispatch(invocation, context);
        }
        return invocation;
    }

    /** JavaScript threads: at most this many invocations run at once. */
    public int threads() {
        return options.threads();
    }

    /** Cancels a running invocation: it answers 487 Request Terminated. */
    public boolean cancel(String id) {
        Invocation invocation = live.get(id);
        return invocation != null
                && !invocation.warmUp()
                && end(
                        invocation,
                        InvocationResult.Failure.of(
                                487, "Request Terminated", "cancelled by DELETE /v1/invocations/" + id));
    }

    /** Stops an invocation whose client went away: nobody will read its answer. */
    public void abandon(Invocation invocation) {
        end(invocation, InvocationResult.Failure.of(487, "Request Terminated", "the client closed the connection"));
    }

    /** The invocations clients and the platform started; warm-ups are the runner's own business. */
    public Collection<Invocation> running() {
        return live.values().stream().filter(i -> !i.warmUp()).toList();
    }

    /**
     * Builds a context of a script in the background (locked down, compiled, none of its code run), so the next
     * invocation finds it warm: for a newly loaded script, and after each invocation of one whose contexts serve
     * once (an ES module of a fresh-state type). Best effort: a full JS queue simply skips it.
     */
    public void warmUp(CompiledScript script) {
        ContextPool pool = poolFor(script);
        SandboxContext context = pool == null ? null : pool.reserveForWarmUp();
        if (context == null) {
            return;
        }
        warmingUp.incrementAndGet();
        try {
            jsThreads.execute(() -> {
                boolean healthy = true;
                try {
                    context.open();
                } catch (RuntimeException e) {
                    healthy = false;
                    LOG.warnf("warming up %s failed: %s", script.qualifiedName(), e.getMessage());
                }
                warmingUp.decrementAndGet();
                ContextPool.Handover next = pool.release(context, healthy);
                if (next != null) {
                    dispatch(next.invocation(), next.context());
                }
            });
        } catch (RejectedExecutionException e) {
            warmingUp.decrementAndGet();
            pool.release(context, false);
        }
    }

    @Override
    public void loaded(CompiledScript script) {
        warmUp(script);
    }

    @Override
    public void retired(CompiledScript script) {
        retire(script);
    }

    /** Waits (at most {@code max}) for the warm-ups under way: a runner is ready when its scripts are warm. */
    public void awaitWarmUps(java.time.Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (warmingUp.get() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    /**
     * The script was replaced or removed: its warm contexts go, running invocations finish on the
     * code they started with, and those still waiting for a context are told to retry.
     */
    public void retire(CompiledScript script) {
        script.retired().set(true);
        ContextPool pool = pools.remove(script);
        if (pool != null) {
            pool.retire();
            for (Invocation waiting : pool.drainWaiting()) {
                end(
                        waiting,
                        InvocationResult.Failure.busy(
                                script.qualifiedName() + " was reloaded while this invocation waited"));
            }
        }
    }

    /** The script's pool, or null once the script is retired (then no pool may be made for it again). */
    private ContextPool poolFor(CompiledScript script) {
        ContextPool pool = pools.get(script);
        if (pool != null) {
            return pool;
        }
        return pools.compute(
                script, (k, existing) -> existing != null ? existing : script.isRetired() ? null : newPool(script));
    }

    private ContextPool newPool(CompiledScript script) {
        int max = script.type().keepsState() ? 1 : options.contextsPerScript();
        return new ContextPool(script, max, options.waitingPerScript(), () -> new SandboxContext(script, engine, this));
    }

    private void dispatch(Invocation invocation, SandboxContext context) {
        invocation.assign(context);
        submit(invocation, () -> {
            String answer = context.invoke(invocation, invocation.id(), invocation.bodyJson(), ctxJson(invocation));
            afterTask(invocation, context, answer);
        });
    }

    /** Runs {@code task} after the invocation's earlier tasks, on a JS thread. */
    private void submit(Invocation invocation, Runnable task) {
        if (!invocation.enqueue(task)) {
            return;
        }
        CompiledScript script = invocation.script();
        try {
            if (invocation.warmUp()) {
                jsThreads.execute(() -> drain(invocation)); // the runner's own, before it is ready: no tenant's share
            } else {
                fairShare.execute(
                        script.qualifiedName(),
                        script.namespace(),
                        () -> drain(invocation),
                        () -> refuse(invocation, allThreadsBusy()));
            }
        } catch (RejectedExecutionException e) {
            refuse(invocation, e.getMessage().startsWith("script ") ? e.getMessage() : allThreadsBusy());
        }
    }

    private String allThreadsBusy() {
        return "all " + options.threads() + " JavaScript threads are busy and " + options.queueCapacity()
                + " tasks wait";
    }

    private void refuse(Invocation invocation, String why) {
        invocation.dropTasks();
        end(invocation, InvocationResult.Failure.busy(why));
        releaseOnce(invocation, invocation.context(), false); // whoever ended it first, the context goes
    }

    private void drain(Invocation invocation) {
        SandboxContext context = invocation.context();
        Runnable task;
        while ((task = invocation.nextTask()) != null) {
            Thread me = Thread.currentThread();
            if (!invocation.beginRunning(me, watchdog.allocatedByCurrentThread())) {
                break;
            }
            boolean healthy = true;
            try {
                task.run();
            } catch (PolyglotException e) {
                healthy = false;
                if (!e.isCancelled() && !e.isInterrupted()) {
                    invocation.finish(failureOf(e));
                }
            } catch (Throwable e) {
                healthy = false;
                LOG.errorf(
                        e,
                        "invocation %s of %s failed in the runner",
                        invocation.id(),
                        invocation.script().qualifiedName());
                invocation.finish(InvocationResult.Failure.of(500, "Internal Server Error", "runner failure: " + e));
            } finally {
                invocation.endRunning(watchdog.allocatedByCurrentThread());
            }
            if (!healthy) {
                releaseOnce(invocation, context, false);
                return;
            }
        }
        if (invocation.finished()) {
            boolean reusable = true;
            try {
                context.finish();
            } catch (RuntimeException e) {
                reusable = false; // closed by a cancel, or the reset failed: never reuse it
            }
            releaseOnce(invocation, context, reusable);
        }
    }

    /** An exception that escaped the runtime: the module failed to load, or a resource ran out. */
    private static InvocationResult failureOf(PolyglotException e) {
        if (e.isResourceExhausted()) {
            return InvocationResult.Failure.of(
                    500, "Internal Server Error", "the invocation exhausted a runner resource: " + e.getMessage());
        }
        if (!e.isGuestException()) {
            return InvocationResult.Failure.of(500, "Internal Server Error", "sandbox failure: " + e.getMessage());
        }
        var at = e.getSourceLocation();
        if (at == null || at.getSource().isInternal()) {
            return InvocationResult.Failure.of(500, "Internal Server Error", e.getMessage());
        }
        return new InvocationResult.Failure(
                new SipStatus(500, "Internal Server Error"),
                e.getMessage(),
                at.getSource().getName() + ":" + at.getStartLine() + ":" + at.getStartColumn(),
                at.getStartLine(),
                at.getStartColumn());
    }

    private void afterTask(Invocation invocation, SandboxContext context, String answer) {
        if (answer != null) {
            invocation.finish(decoder.decode(answer));
        } else if (!invocation.hasPending() && !invocation.finished()) {
            // No result, as after a timeout: the routing engine expects the Script's timeout action then (at once).
            invocation.finish(new InvocationResult.Failure(
                    invocation.script().timeoutAction(),
                    "main's Promise never settled: nothing is pending (no timer, no HTTP request), so it never will;"
                            + " answered with the Script's timeoutAction",
                    null,
                    0,
                    0));
        }
    }

    /** Gives the context back to its pool, once per invocation, whichever path gets there first. */
    private void releaseOnce(Invocation invocation, SandboxContext context, boolean reusable) {
        if (context == null || !invocation.claimRelease()) {
            return;
        }
        ContextPool pool = pools.get(context.script());
        if (pool == null) {
            context.close(); // a one-off context, or its script was retired
            return;
        }
        ContextPool.Handover next = pool.release(context, reusable && context.reusable());
        if (next != null) {
            dispatch(next.invocation(), next.context());
        } else if (!context.script().reusesContexts()) {
            warmUp(context.script()); // the next invocation's context, built before it comes
        }
    }

    /** Ends an invocation from outside its JavaScript: deadline, cancel or memory budget. */
    private boolean end(Invocation invocation, InvocationResult result) {
        Invocation.Ending ending = invocation.finish(result);
        SandboxContext context = invocation.context();
        switch (ending) {
            case ALREADY_FINISHED -> {
                return false;
            }
            case STOP_RUNNING_CODE -> watchdog.stopRunningCode(context::cancel);
            case RELEASE_NOW -> {
                if (context == null) {
                    ContextPool pool = pools.get(invocation.script());
                    if (pool != null) {
                        pool.forget(invocation);
                    }
                } else {
                    // Its code is not running (it waits on a timer): let a JS thread end it in the
                    // runtime and hand the context back, through the invocation's own task queue so
                    // it never overlaps a timer task. A worker keeps its state this way.
                    submit(invocation, () -> {});
                }
            }
            case TASK_WILL_RELEASE -> {}
        }
        return true;
    }

    // --- SandboxHost: called from JavaScript, on the invocation's JS thread --------------------

    @Override
    public void log(SandboxContext context, String level, String message) {
        if (isWarmUp(context)) {
            return; // not the tenant's line: its log shows only what its own invocations wrote
        }
        Invocation invocation = (Invocation) context.owner();
        services.logs().append(context.script().uuid(), level, message, invocation == null ? null : invocation.id());
    }

    @Override
    public void setTimer(SandboxContext context, int id, long delayMillis) {
        Invocation invocation = (Invocation) context.owner();
        synchronized (invocation) {
            if (invocation.finished() || invocation.warmUp()) {
                return; // a warm-up's timers never fire: a Promise waiting on one ends it as never settled
            }
            var timer = watchdog.schedule(() -> fire(invocation, context, id), delayMillis);
            Runnable previous = invocation.pending.put(id, () -> timer.cancel(false));
            if (previous != null) {
                previous.run();
            }
        }
    }

    @Override
    public void clearTimer(SandboxContext context, int id) {
        cancelOp(context, id);
    }

    @Override
    public void cancelOp(SandboxContext context, int id) {
        hostOps.cancel((Invocation) context.owner(), id);
    }

    @Override
    public void httpRequest(SandboxContext context, int id, String specJson, String bodyBase64) {
        hostOps.httpRequest((Invocation) context.owner(), context, id, specJson, bodyBase64);
    }

    @Override
    public void socketConnect(SandboxContext context, int id, String host, int port) {
        hostOps.socketConnect((Invocation) context.owner(), context, id, host, port);
    }

    @Override
    public void socketWrite(SandboxContext context, int id, String dataBase64) {
        hostOps.socketWrite((Invocation) context.owner(), id, dataBase64);
    }

    @Override
    public ModuleLookup findModule(SandboxContext context, String name) {
        return services.modules().apply(context.script().namespace() + "/" + name);
    }

    @Override
    public String kv(SandboxContext context, String op, String key, String arg, long ttlMillis) {
        if (isWarmUp(context)) {
            throw new HostFailure("kv." + op + WARM_UP_REFUSAL);
        }
        return services.kv().call(context.script(), op, key, arg, ttlMillis);
    }

    @Override
    public String jobs(SandboxContext context, String op, String argsJson) {
        if (isWarmUp(context)) {
            throw new HostFailure("jobs." + op + WARM_UP_REFUSAL);
        }
        Invocation invocation = (Invocation) context.owner();
        return services.jobs()
                .call(context.script(), invocation == null ? null : invocation.triggerJson(), op, argsJson);
    }

    private static boolean isWarmUp(SandboxContext context) {
        return context.owner() instanceof Invocation invocation && invocation.warmUp();
    }

    /** The timer stays pending until its task runs, so no task sees "nothing pending" too early. */
    private void fire(Invocation invocation, SandboxContext context, int id) {
        submit(invocation, () -> {
            synchronized (invocation) {
                invocation.pending.remove(id);
            }
            afterTask(invocation, context, context.fireTimer(id));
        });
    }

    private static String ctxJson(Invocation invocation) {
        CompiledScript s = invocation.script();
        return "{\"invocationId\":\"" + invocation.id() + "\",\"uuid\":\"" + s.uuid() + "\",\"name\":\"" + s.name()
                + "\",\"namespace\":\"" + s.namespace() + "\",\"type\":\""
                + s.type().wireName()
                + "\",\"deadline\":"
                + (invocation.startedAt().toEpochMilli() + invocation.timeout().toMillis())
                + (invocation.triggerJson() == null ? "" : ",\"trigger\":" + invocation.triggerJson()) + "}";
    }

    static Thread daemon(Thread thread) {
        thread.setDaemon(true);
        return thread;
    }

    /** Ends every invocation (503: the runner is stopping), stops their code, then the threads. */
    @Override
    public void close() {
        for (Invocation invocation : live.values()) {
            end(invocation, InvocationResult.Failure.busy("the runner is shutting down"));
        }
        watchdog.close();
        jsThreads.shutdownNow();
        pools.values().forEach(ContextPool::retire);
    }
}
