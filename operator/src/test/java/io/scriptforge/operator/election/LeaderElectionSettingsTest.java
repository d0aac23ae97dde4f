package io.scriptforge.operator.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.scriptforge.operator.OperatorConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionSettingsTest {
    private static final Settings CHART = new Settings(
            "scriptforge",
            Optional.of("scriptforge-system"),
            Optional.of("scriptforge-7d9f-x2"),
            Duration.ofSeconds(10),
            Duration.ofSeconds(8),
            Duration.ofSeconds(2));

    private static final UUID PROCESS = UUID.fromString("6f1c2a9e-0d4b-4c7a-9b1e-2f3a4b5c6d7e");
    private static final String IDENTITY =
            LeaderElectionSettings.identity(CHART.identity(), "ignored-hostname", PROCESS);

    @Test
    void theLeaseIsNamedAndPlacedAsConfiguredAndHeldUnderThePodsNameAndTheProcess() {
        LeaderElectionConfiguration election = LeaderElectionSettings.of(CHART, IDENTITY, () -> {});

        assertThat(election.getLeaseName()).isEqualTo("scriptforge");
        assertThat(election.getLeaseNamespace()).contains("scriptforge-system");
        assertThat(election.getIdentity()).contains("scriptforge-7d9f-x2_6f1c2a9e-0d4b-4c7a-9b1e-2f3a4b5c6d7e");
        assertThat(election.getLeaseDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(election.getRenewDeadline()).isEqualTo(Duration.ofSeconds(8));
        assertThat(election.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void withoutANamespaceTheSdkInfersItAndWithoutAPodNameTheHostnameNamesTheReplica() {
        Settings bare = new Settings(
                "scriptforge-operator",
                Optional.empty(),
                Optional.empty(),
                CHART.leaseDuration(),
                CHART.renewDeadline(),
                CHART.retryPeriod());
        LeaderElectionConfiguration election = LeaderElectionSettings.of(
                bare, LeaderElectionSettings.identity(bare.identity(), "op-host", PROCESS), () -> {});

        assertThat(election.getLeaseNamespace()).isEmpty(); // the client's: kubeconfig context or service account
        assertThat(election.getIdentity()).contains("op-host_" + PROCESS);
        assertThat(LeaderElectionSettings.identity(Optional.empty(), null, PROCESS))
                .isEqualTo("scriptforge-operator_" + PROCESS);
    }

    @Test
    void aRestartedProcessInTheSamePodIsAnotherCandidate() {
        // Same pod name, new process: it must wait the lease out like any other replica, not take it as its own.
        assertThat(LeaderElectionSettings.identity(CHART.identity(), null, UUID.randomUUID()))
                .startsWith("scriptforge-7d9f-x2_")
                .isNotEqualTo(IDENTITY);
    }

    @Test
    void losingTheLeaseRunsTheGivenActionAndTheSdkDoesNotExitOnItsOwn() {
        AtomicInteger lost = new AtomicInteger();
        LeaderElectionConfiguration election = LeaderElectionSettings.of(CHART, IDENTITY, lost::incrementAndGet);

        election.getLeaderCallbacks().orElseThrow().onStopLeading();

        assertThat(lost).hasValue(1);
        assertThat(election.isExitOnStopLeading())
                .as("LeaseLoss exits, off the thread that stops the operator")
                .isFalse();
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> LeaderElectionSettings.of(
                        CHART.with(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                        IDENTITY,
                        () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scriptforge.operator.leader-election.renew-deadline (PT10S)")
                .hasMessageContaining("lease-duration (PT10S)");
    }

    @Test
    void aRetryPeriodTooCloseToTheRenewDeadlineIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> LeaderElectionSettings.of(
                        CHART.with(Duration.ofSeconds(10), Duration.ofSeconds(4), Duration.ofSeconds(2)),
                        IDENTITY,
                        () -> {}))
                .hasMessageContaining("renew-deadline (PT4S) must be longer than PT4.4S")
                .hasMessageContaining("set a shorter retry-period");
    }

    private record Settings(
            String leaseName,
            Optional<String> leaseNamespace,
            Optional<String> identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod)
            implements OperatorConfig.LeaderElection {
        @Override
        public boolean enabled() {
            return true;
        }

        Settings with(Duration lease, Duration renew, Duration retry) {
            return new Settings(leaseName, leaseNamespace, identity, lease, renew, retry);
        }
    }
}
