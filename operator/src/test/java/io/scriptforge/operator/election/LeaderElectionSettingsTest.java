package io.scriptforge.operator.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.scriptforge.operator.OperatorConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionSettingsTest {
    private static final Settings CHART = new Settings("scriptforge", Optional.of("scriptforge-system"), Optional.of("scriptforge-7d9f-x2"),
            Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(2));

    @Test
    void theLeaseIsNamedAndPlacedAsConfiguredAndHeldUnderThePodsName() {
        LeaderElectionConfiguration election = LeaderElectionSettings.of(CHART, () -> { });

        assertThat(election.getLeaseName()).isEqualTo("scriptforge");
        assertThat(election.getLeaseNamespace()).contains("scriptforge-system");
        assertThat(election.getIdentity()).contains("scriptforge-7d9f-x2");
        assertThat(election.getLeaseDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(election.getRenewDeadline()).isEqualTo(Duration.ofSeconds(8));
        assertThat(election.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void withoutANamespaceOrIdentityTheSdkInfersThem() {
        LeaderElectionConfiguration election = LeaderElectionSettings.of(
                new Settings("scriptforge-operator", Optional.empty(), Optional.empty(), CHART.leaseDuration(), CHART.renewDeadline(), CHART.retryPeriod()),
                () -> { });

        assertThat(election.getLeaseNamespace()).isEmpty(); // the client's: kubeconfig context or service account
        assertThat(election.getIdentity()).isEmpty(); // HOSTNAME, the pod's name in a cluster
    }

    @Test
    void losingTheLeaseRunsTheGivenActionAndTheSdkDoesNotExitOnItsOwn() {
        AtomicInteger lost = new AtomicInteger();
        LeaderElectionConfiguration election = LeaderElectionSettings.of(CHART, lost::incrementAndGet);

        election.getLeaderCallbacks().orElseThrow().onStopLeading();

        assertThat(lost).hasValue(1);
        assertThat(election.isExitOnStopLeading()).as("LeaseLoss exits, off the thread that stops the operator").isFalse();
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> LeaderElectionSettings.of(CHART.with(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)), () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scriptforge.operator.leader-election.renew-deadline (PT10S)")
                .hasMessageContaining("lease-duration (PT10S)");
    }

    @Test
    void aRetryPeriodTooCloseToTheRenewDeadlineIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> LeaderElectionSettings.of(CHART.with(Duration.ofSeconds(10), Duration.ofSeconds(4), Duration.ofSeconds(2)), () -> { }))
                .hasMessageContaining("renew-deadline (PT4S) must be longer than PT4.4S")
                .hasMessageContaining("set a shorter retry-period");
    }

    private record Settings(String leaseName, Optional<String> leaseNamespace, Optional<String> identity,
                            Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) implements OperatorConfig.LeaderElection {
        @Override
        public boolean enabled() {
            return true;
        }

        Settings with(Duration lease, Duration renew, Duration retry) {
            return new Settings(leaseName, leaseNamespace, identity, lease, renew, retry);
        }
    }
}
