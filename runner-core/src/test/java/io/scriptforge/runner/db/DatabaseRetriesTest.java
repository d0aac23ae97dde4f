package io.scriptforge.runner.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseRetriesTest {

    @Test
    void theWaitDoublesUpToThirtySeconds() {
        Duration wait = DatabaseRetries.FIRST;
        StringBuilder waits = new StringBuilder();
        for (int attempt = 0; attempt < 8; attempt++) {
            waits.append(wait.toSeconds()).append(' ');
            wait = DatabaseRetries.longer(wait);
        }
        assertThat(waits.toString().trim()).isEqualTo("1 2 4 8 16 30 30 30");
    }

    @Test
    void anAttemptIsTriedAgainUntilItIsOverEvenWhenItThrows() throws InterruptedException {
        AtomicInteger tries = new AtomicInteger();
        CountDownLatch over = new CountDownLatch(1);
        try (DatabaseRetries retries = new DatabaseRetries("retries-test")) {
            retries.retry(() -> {
                if (tries.incrementAndGet() == 1) {
                    throw new IllegalStateException("a bug in the first try");
                }
                over.countDown();
                return true;
            });
            assertThat(over.await(10, TimeUnit.SECONDS))
                    .as("tried again after the first failed")
                    .isTrue();
        }
        assertThat(tries.get()).isEqualTo(2);
    }
}
