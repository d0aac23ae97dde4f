package io.scriptforge.runner.invoke;

/**
 * Bounds of the JavaScript side of a runner.
 *
 * @param threads            JavaScript worker threads (JS never runs on the gateway's event loop)
 * @param queueCapacity      tasks waiting for a JS thread before new invocations are refused with 503
 * @param contextsPerScript  most sandbox contexts one script may hold at once (script and app types)
 * @param waitingPerScript   invocations that may wait for a context of one script before 503
 * @param memoryBudgetBytes  bytes an invocation may allocate before it is stopped (allocation, not
 *                           retention: garbage counts too, so the figure is generous; the heap guard
 *                           stops whoever allocated most when the heap itself runs short)
 * @param workerMemoryBudgetBytes the same for worker scripts (stricter: their state stays)
 * @param threadsPerScript   most JavaScript threads one Script's invocations hold at once (see {@link FairShare})
 * @param threadsPerNamespace most JavaScript threads one namespace's Scripts hold at once
 */
public record InvokerOptions(
        int threads,
        int queueCapacity,
        int contextsPerScript,
        int waitingPerScript,
        long memoryBudgetBytes,
        long workerMemoryBudgetBytes,
        int threadsPerScript,
        int threadsPerNamespace) {
    /** With the default shares: half the threads (at least one) per Script and per namespace. */
    public InvokerOptions(
            int threads,
            int queueCapacity,
            int contextsPerScript,
            int waitingPerScript,
            long memoryBudgetBytes,
            long workerMemoryBudgetBytes) {
        this(
                threads,
                queueCapacity,
                contextsPerScript,
                waitingPerScript,
                memoryBudgetBytes,
                workerMemoryBudgetBytes,
                defaultShare(threads),
                defaultShare(threads));
    }

    /** Half the threads, at least one: a tenant's runaways always leave the others threads of their own. */
    public static int defaultShare(int threads) {
        return Math.max(1, threads / 2);
    }

    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    public static final int DEFAULT_CONTEXTS_PER_SCRIPT = 64;
    public static final int DEFAULT_WAITING_PER_SCRIPT = 256;
    public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;
    public static final long DEFAULT_WORKER_MEMORY_BUDGET = 256L << 20;

    public static InvokerOptions defaults() {
        return new InvokerOptions(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                DEFAULT_QUEUE_CAPACITY,
                DEFAULT_CONTEXTS_PER_SCRIPT,
                DEFAULT_WAITING_PER_SCRIPT,
                DEFAULT_MEMORY_BUDGET,
                DEFAULT_WORKER_MEMORY_BUDGET);
    }
}
