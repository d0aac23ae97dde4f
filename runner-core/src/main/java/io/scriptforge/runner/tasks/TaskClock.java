package io.scriptforge.runner.tasks;

import com.github.kagkarlsson.scheduler.Clock;
import java.time.Instant;

/**
 * The scheduler's clock: the system's, or for tests one running {@code speed} times faster from a
 * shared origin, so several runner processes agree on an accelerated time (a minute's cron tick per
 * second at speed 60) while the database still orders every pick and heartbeat.
 */
public record TaskClock(long originMillis, double speed) implements Clock {
    public static final TaskClock SYSTEM = new TaskClock(0, 1);

    public TaskClock {
        if (!(speed >= 1) || speed > 3600) {
            throw new IllegalArgumentException(
                    "scriptforge.tasks.clock-speed must be between 1 and 3600, not " + speed);
        }
    }

    @Override
    public Instant now() {
        long real = System.currentTimeMillis();
        return speed == 1
                ? Instant.ofEpochMilli(real)
                : Instant.ofEpochMilli(originMillis + (long) ((real - originMillis) * speed));
    }

    /** The scheduler's duration that lasts {@code wall} on the wall clock (longer when the clock runs faster). */
    public java.time.Duration scheduled(java.time.Duration wall) {
        return speed == 1 ? wall : java.time.Duration.ofNanos((long) (wall.toNanos() * speed));
    }
}
