package io.scriptforge.runner.invoke;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Admits tasks to the JavaScript threads so that no Script, and no namespace, holds more than its share of them
 * at once: a runaway {@code while(true){}} can take at most its share until its timeout, never every thread. A
 * task over a share waits here, in order, until one of its Script's (or namespace's) tasks ends; a task counts
 * against its shares from admission to its end, queued or running.
 */
final class FairShare {
    private final Executor threads;
    private final int perScript;
    private final int perNamespace;
    private final int maxWaiting;
    private final Map<String, Integer> holding = new HashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    /** A task, with what to do if the threads refuse it once its turn came. */
    private record Pending(String script, String namespace, Runnable task, Runnable refused) {}

    /**
     * @param perScript    most tasks of one Script admitted at once
     * @param perNamespace most tasks of one namespace's Scripts admitted at once
     * @param maxWaiting   tasks that may wait for their share before new ones are refused
     */
    FairShare(Executor threads, int perScript, int perNamespace, int maxWaiting) {
        if (perScript < 1 || perNamespace < 1) {
            throw new IllegalArgumentException("a share of the JavaScript threads is at least 1 (per Script "
                    + perScript + ", per namespace " + perNamespace + ")");
        }
        this.threads = threads;
        this.perScript = perScript;
        this.perNamespace = perNamespace;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code task} on the threads once its shares allow.
     *
     * @param refused run instead when the threads refuse the task after it waited here
     * @throws RejectedExecutionException when too many tasks wait for their share, or the threads refuse it now
     */
    void execute(String script, String namespace, Runnable task, Runnable refused) {
        Pending pending = new Pending("s:" + script, "n:" + namespace, task, refused);
        synchronized (this) {
            if (!admits(pending)) {
                if (waiting.size() >= maxWaiting) {
                    throw new RejectedExecutionException("script " + script
                            + " holds its share of the JavaScript threads (" + perScript + " per Script, "
                            + perNamespace + " per namespace) and " + waiting.size() + " tasks wait for theirs");
                }
                waiting.add(pending);
                return;
            }
            take(pending);
        }
        start(pending);
    }

    /** Tasks waiting for their share now. */
    synchronized int waiting() {
        return waiting.size();
    }

    private void start(Pending pending) {
        try {
            threads.execute(() -> {
                try {
                    pending.task().run();
                } finally {
                    ended(pending);
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                give(pending);
            }
            throw e;
        }
    }

    private void ended(Pending done) {
        List<Pending> next = new ArrayList<>();
        synchronized (this) {
            give(done);
            for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
                Pending candidate = it.next();
                if (admits(candidate)) {
                    it.remove();
                    take(candidate);
                    next.add(candidate);
                }
            }
        }
        for (Pending pending : next) {
            try {
                start(pending);
            } catch (RejectedExecutionException e) {
                pending.refused().run();
            }
        }
    }

    private boolean admits(Pending p) {
        return holding.getOrDefault(p.script(), 0) < perScript && holding.getOrDefault(p.namespace(), 0) < perNamespace;
    }

    private void take(Pending p) {
        holding.merge(p.script(), 1, Integer::sum);
        holding.merge(p.namespace(), 1, Integer::sum);
    }

    private void give(Pending p) {
        holding.computeIfPresent(p.script(), (k, n) -> n == 1 ? null : n - 1);
        holding.computeIfPresent(p.namespace(), (k, n) -> n == 1 ? null : n - 1);
    }
}
