package io.scriptforge.runner.invoke;

import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.SandboxContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One call of a script, from the request to its answer. Its JavaScript tasks (the start, then each
 * due timer or completed host operation) run one at a time; the watchdog may end it at any moment (timeout, cancel, memory).
 * Fields are guarded by {@code this}.
 */
public final class Invocation {
    /** Where an invocation is, as {@code GET /v1/invocations} shows it. */
    public enum State {
        QUEUED,
        RUNNING,
        WAITING,
        DONE
    }

    private final String id;
    private final CompiledScript script;
    private final String bodyJson;
    private final String triggerJson;
    private final Duration timeout;
    private final boolean warmUp;
    private final Instant startedAt = Instant.now();
    private final long deadlineNanos;
    private final Consumer<InvocationResult> onDone;
    private final ArrayDeque<Runnable> pendingTasks = new ArrayDeque<>();
    /**
     * What the invocation waits for, by the runtime's id: timers and host operations (HTTP requests),
     * each with how to cancel it. While any is pending, a Promise of main may still settle.
     */
    final Map<Integer, Runnable> pending = new HashMap<>();
    /** The open TCP connections among the pending operations, by the same ids. */
    final Map<Integer, io.scriptforge.runner.egress.HostSockets.Connection> connections = new HashMap<>();

    private SandboxContext context;
    private boolean finished;
    private boolean busy;
    private boolean contextReleased;
    private Thread runningOn;
    private long allocationMark;
    private long allocatedBefore;

    /**
     * @param timeout how long it may run: the script's timeout, or less for a warm-up
     * @param warmUp  the runner's own dry run before it reports ready: every host effect is refused
     */
    Invocation(
            String id,
            CompiledScript script,
            String bodyJson,
            String triggerJson,
            Duration timeout,
            boolean warmUp,
            Consumer<InvocationResult> onDone) {
        this.id = id;
        this.script = script;
        this.bodyJson = bodyJson;
        this.triggerJson = triggerJson;
        this.timeout = timeout;
        this.warmUp = warmUp;
        this.onDone = onDone;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    Duration timeout() {
        return timeout;
    }

    /** A warm-up invocation: no kv, jobs, egress or timers, no console lines kept, never listed. */
    boolean warmUp() {
        return warmUp;
    }

    /** When the invocation must have answered, on the {@link System#nanoTime()} clock. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    public String id() {
        return id;
    }

    public CompiledScript script() {
        return script;
    }

    public Instant startedAt() {
        return startedAt;
    }

    String bodyJson() {
        return bodyJson;
    }

    /** What started the invocation when the platform did (ctx.trigger), else null. */
    String triggerJson() {
        return triggerJson;
    }

    public synchronized State state() {
        if (finished) {
            return State.DONE;
        }
        if (runningOn != null) {
            return State.RUNNING;
        }
        return context == null ? State.QUEUED : State.WAITING;
    }

    synchronized SandboxContext context() {
        return context;
    }

    synchronized void assign(SandboxContext context) {
        this.context = context;
    }

    synchronized boolean finished() {
        return finished;
    }

    /**
     * Ends the invocation with {@code result} if nothing ended it before; the answer is sent at once.
     * @return what the caller must do about the context: see {@link Ending}
     */
    Ending finish(InvocationResult result) {
        Ending ending;
        synchronized (this) {
            if (finished) {
                return Ending.ALREADY_FINISHED;
            }
            finished = true;
            pending.values().forEach(Runnable::run);
            pending.clear();
            connections.clear();
            // Ended by its own JavaScript thread (it answered): nothing to stop. Ended from outside
            // while its code runs: that code must be stopped.
            boolean runningElsewhere = runningOn != null && runningOn != Thread.currentThread();
            ending = runningElsewhere ? Ending.STOP_RUNNING_CODE : busy ? Ending.TASK_WILL_RELEASE : Ending.RELEASE_NOW;
            if (ending == Ending.STOP_RUNNING_CODE && context != null) {
                context.markDead(); // before the answer goes out and anyone could hand the context on
            }
        }
        onDone.accept(result);
        return ending;
    }

    /** After {@link #finish}: who frees the sandbox context. */
    enum Ending {
        ALREADY_FINISHED,
        STOP_RUNNING_CODE,
        TASK_WILL_RELEASE,
        RELEASE_NOW
    }

    /** Queues a task; returns true when the caller must hand the drain loop to a JS thread. */
    synchronized boolean enqueue(Runnable task) {
        pendingTasks.add(task);
        if (busy) {
            return false;
        }
        busy = true;
        return true;
    }

    /** The next task to run on this thread, or null (then the invocation is idle). */
    synchronized Runnable nextTask() {
        Runnable next = finished ? null : pendingTasks.poll();
        if (next == null) {
            pendingTasks.clear();
            busy = false;
        }
        return next;
    }

    /** Forgets queued tasks: the invocation is idle (used when no JS thread would take them). */
    synchronized void dropTasks() {
        pendingTasks.clear();
        busy = false;
    }

    synchronized boolean beginRunning(Thread thread, long allocatedNow) {
        if (finished) {
            return false;
        }
        runningOn = thread;
        allocationMark = allocatedNow;
        return true;
    }

    synchronized void endRunning(long allocatedNow) {
        allocatedBefore += allocatedNow - allocationMark;
        runningOn = null;
    }

    /** The thread running this invocation's JavaScript now, or null. */
    synchronized Thread runningOn() {
        return runningOn;
    }

    /** Bytes allocated by this invocation's JavaScript so far, given the running thread's counter now. */
    synchronized long allocated(long allocatedNow) {
        return allocatedBefore + (runningOn == null ? 0 : allocatedNow - allocationMark);
    }

    /** True for the one caller that may give the context back. */
    synchronized boolean claimRelease() {
        if (contextReleased) {
            return false;
        }
        contextReleased = true;
        return true;
    }

    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }
}
