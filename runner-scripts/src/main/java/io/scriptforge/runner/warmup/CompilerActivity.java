package io.scriptforge.runner.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * How busy the just-in-time compilers are: HotSpot's, which compile the runner, Vert.x, Jackson, the Truffle
 * interpreter and (on a stock JDK) the Graal compiler itself, and Truffle's, which compile the JavaScript. While
 * either is busy, the code that serves requests is still getting faster; a runner is warm once both are quiet.
 * Throughput alone cannot tell on a starved node: there the compilers get so little CPU that the rate stays flat
 * while the compile queue is still long.
 *
 * <p>Busy is measured in wall time, not CPU time, for the same reason: a compiler waiting for the CPU has work
 * left. Truffle's compiler threads are sampled ({@link #tick()}): busy unless waiting for their queue. HotSpot's
 * compilers are hidden threads; their accumulated compile time ({@link CompilationMXBean}) counts instead.
 */
public final class CompilerActivity {
    /** Truffle names its background compiler threads so ({@code BackgroundCompileQueue}); idle ones exit after a while. */
    static final String TRUFFLE_THREAD_PREFIX = "TruffleCompilerThread";

    /**
     * One window: the share of its ticks in which a Truffle compiler thread was compiling (0 to 1), and
     * HotSpot's compile time in it over its length (the sum over its compiler threads, so above 1 when several
     * compile at once).
     */
    public record Window(double truffle, double hotspot) {
        /** Neither compiler was busy more than {@code limit} of the window. */
        boolean quiet(double limit) {
            return truffle <= limit && hotspot <= limit;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CompilationMXBean hotspot = ManagementFactory.getCompilationMXBean();
    private final boolean hotspotMeasured = hotspot != null && hotspot.isCompilationTimeMonitoringSupported();
    private int ticks;
    private int truffleBusyTicks;
    private long windowStartNanos = System.nanoTime();
    private long hotspotMillisAtStart = hotspotMillis();

    /** Samples Truffle's compiler threads once; called every few tens of milliseconds. */
    void tick() {
        ticks++;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (thread != null
                    && thread.getThreadName().startsWith(TRUFFLE_THREAD_PREFIX)
                    && compiling(thread.getThreadState())) {
                truffleBusyTicks++;
                return;
            }
        }
    }

    /** The window since the previous call (or since this was made), and a new one begins. */
    Window window() {
        long now = System.nanoTime();
        long millis = hotspotMillis();
        double lengthMillis = Math.max(1, (now - windowStartNanos) / 1e6);
        Window window = new Window(
                ticks == 0 ? 0 : (double) truffleBusyTicks / ticks, (millis - hotspotMillisAtStart) / lengthMillis);
        ticks = 0;
        truffleBusyTicks = 0;
        windowStartNanos = now;
        hotspotMillisAtStart = millis;
        return window;
    }

    /** An idle compiler thread waits for its queue; runnable (or blocked on a lock) means a compilation is under way. */
    private static boolean compiling(Thread.State state) {
        return state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING && state != Thread.State.TERMINATED;
    }

    private long hotspotMillis() {
        return hotspotMeasured ? hotspot.getTotalCompilationTime() : 0;
    }
}
