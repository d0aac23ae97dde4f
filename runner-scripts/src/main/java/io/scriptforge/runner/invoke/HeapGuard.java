package io.scriptforge.runner.invoke;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Calls back when the old generation is still over {@link #THRESHOLD} of its maximum right after a
 * garbage collection: live data, not garbage. Per-invocation allocation budgets cannot see retention, this can.
 */
final class HeapGuard {
    static final double THRESHOLD = 0.80;

    private HeapGuard() {}

    private static boolean isOldGeneration(MemoryPoolMXBean pool) {
        String name = pool.getName();
        return name.contains("Old") || name.contains("Tenured");
    }

    /** Returns what removes the callback again. */
    static AutoCloseable install(Runnable onPressure) {
        boolean watching = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            // Only the old generation: young pools (eden, survivor) are often full right after a
            // collection, which says nothing about live data and would stop healthy invocations.
            if (pool.getType() == MemoryType.HEAP
                    && pool.isCollectionUsageThresholdSupported()
                    && max > 0
                    && isOldGeneration(pool)) {
                pool.setCollectionUsageThreshold((long) (max * THRESHOLD));
                watching = true;
            }
        }
        if (!watching) {
            return () -> {};
        }
        NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        NotificationListener listener = (notification, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                onPressure.run();
            }
        };
        emitter.addNotificationListener(listener, null, null);
        return () -> emitter.removeNotificationListener(listener);
    }
}
