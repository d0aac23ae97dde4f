package io.scriptforge.runner.invoke;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The invoker's clock, off the JavaScript threads: ends invocations past their deadline or their
 * memory budget, fires script timers, and stops runaway code without holding anyone up.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watchdog.class);
    private static final long TICK_MILLIS = 10;

    /** Ends an invocation from outside; false when it had ended already. */
    interface Ender {
        boolean end(Invocation invocation, InvocationResult result);
    }

    private final InvokerOptions options;
    private final Supplier<Collection<Invocation>> live;
    private final Ender ender;
    private final ScheduledThreadPoolExecutor clock;
    /** Script timers tick apart from the clock: a flood of them cannot delay a deadline. */
    private final ScheduledThreadPoolExecutor timers;

    private final ExecutorService reaper;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final AutoCloseable heapGuard;

    Watchdog(InvokerOptions options, Supplier<Collection<Invocation>> live, Ender ender) {
        this.options = options;
        this.live = live;
        this.ender = ender;
        this.clock = new ScheduledThreadPoolExecutor(1, r -> Invoker.daemon(new Thread(r, "sf-watchdog")));
        this.timers = new ScheduledThreadPoolExecutor(1, r -> Invoker.daemon(new Thread(r, "sf-timers")));
        timers.setRemoveOnCancelPolicy(true); // cleared timers must not pile up until their time
        this.reaper = Executors.newCachedThreadPool(r -> Invoker.daemon(new Thread(r, "sf-reaper")));
        // Deadlines and budgets are checked on one tick rather than scheduled per invocation: no
        // per-request timer churn, and the answer still goes out within a tick of the deadline.
        clock.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        this.heapGuard = HeapGuard.install(() -> clock.execute(this::stopTheBiggestAllocator));
    }

    /** A script timer. */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code stop} (closing a context mid-execution) on a thread of its own: it may take a while. */
    void stopRunningCode(Runnable stop) {
        reaper.execute(stop);
    }

    /** Bytes the calling thread has allocated since it started: the JS threads' budget meter. */
    long allocatedByCurrentThread() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /** Never throws: a periodic task that throws is never run again, and every deadline with it. */
    private void tick() {
        long now = System.nanoTime();
        for (Invocation invocation : live.get()) {
            try {
                check(invocation, now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "watchdog could not check invocation %s", invocation.id());
            }
        }
    }

    private void check(Invocation invocation, long now) {
        if (now - invocation.deadlineNanos() >= 0) {
            ender.end(invocation, InvocationResult.Failure.timedOut(invocation.script(), invocation.timeout()));
            return;
        }
        Thread thread = invocation.runningOn();
        if (thread == null) {
            return;
        }
        long budget = invocation.script().type().keepsState()
                ? options.workerMemoryBudgetBytes()
                : options.memoryBudgetBytes();
        long allocated = invocation.allocated(threads.getThreadAllocatedBytes(thread.threadId()));
        if (allocated > budget) {
            ender.end(
                    invocation,
                    InvocationResult.Failure.of(
                            500,
                            "Internal Server Error",
                            "memory budget exceeded: the invocation allocated more than " + (budget >> 20) + " MiB"));
        }
    }

    /** The heap is nearly full after a collection: stop the running invocation that allocated most. */
    private void stopTheBiggestAllocator() {
        Invocation biggest = null;
        long most = -1;
        for (Invocation invocation : live.get()) {
            Thread thread = invocation.runningOn();
            if (thread == null) {
                continue;
            }
            long allocated = invocation.allocated(threads.getThreadAllocatedBytes(thread.threadId()));
            if (allocated > most) {
                biggest = invocation;
                most = allocated;
            }
        }
        if (biggest != null) {
            LOG.warnf(
                    "heap nearly full: stopping invocation %s of %s (%d MiB allocated)",
                    biggest.id(), biggest.script().qualifiedName(), most >> 20);
            ender.end(
                    biggest,
                    InvocationResult.Failure.of(
                            500,
                            "Internal Server Error",
                            "memory budget exceeded: the runner's heap ran short and this invocation allocated the most ("
                                    + (most >> 20) + " MiB)"));
        }
    }

    /** Lets the stops under way finish (briefly), then stops the clock. */
    @Override
    public void close() {
        try {
            heapGuard.close();
        } catch (Exception e) {
            LOG.debugf("heap guard already removed: %s", e.getMessage());
        }
        reaper.shutdown();
        try {
            reaper.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clock.shutdownNow();
        timers.shutdownNow();
    }
}
