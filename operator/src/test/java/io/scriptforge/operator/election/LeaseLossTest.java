package io.scriptforge.operator.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseLossTest {
    private final AtomicInteger exits = new AtomicInteger();
    private final LeaseLoss loss = new LeaseLoss(exits::incrementAndGet);

    @Test
    void aLostLeaseExitsOnceHoweverOftenTheElectorReportsIt() {
        loss.run(); // fabric8 reports it when another holder shows up, and again when its renew loop ends
        loss.run();

        assertThat(exits).hasValue(1);
    }

    @Test
    void stoppingToLeadDuringShutdownReleasesTheLeaseInsteadOfExiting() {
        AtomicInteger releases = new AtomicInteger();
        loss.stopping(releases::incrementAndGet);

        loss.run();

        assertThat(exits).hasValue(0);
        assertThat(releases).hasValue(1);
    }
}
