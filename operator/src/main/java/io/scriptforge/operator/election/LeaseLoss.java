package io.scriptforge.operator.election;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * What a replica does once it no longer leads. Losing the lease while it runs, it exits, so that it never reconciles
 * beside the new leader, and its pod restarts as a follower: JOSDK 5.3's builder would keep it running
 * (exitOnStopLeading false), and its own exit calls System.exit on the thread that stops the operator, which
 * deadlocks in the JVM's shutdown hook, so the exit runs on a thread of its own. Stopping cleanly, it releases the
 * lease instead ({@link LeaseRelease}).
 */
public final class LeaseLoss implements Runnable {
    private static final Logger LOG = Logger.getLogger(LeaseLoss.class);

    private final Runnable exit;
    private final AtomicBoolean exiting = new AtomicBoolean();
    private volatile Runnable release;

    LeaseLoss(Runnable exit) {
        this.exit = exit;
    }

    /** Exits the JVM with status 1. */
    static LeaseLoss exitingTheProcess() {
        return new LeaseLoss(() -> new Thread(() -> System.exit(1), "lease-lost-exit").start());
    }

    /** The process is shutting down: it will stop leading, and then gives the lease up with {@code release}. */
    void stopping(Runnable release) {
        this.release = release;
    }

    @Override
    public void run() {
        Runnable onStop = release;
        if (onStop != null) {
            LOG.info("stopped leading: the operator is shutting down");
            onStop.run();
        } else if (exiting.compareAndSet(false, true)) {
            LOG.error(
                    "lost the lease: exiting, so that only the new leader reconciles (the pod restarts as a follower)");
            exit.run();
        }
    }
}
