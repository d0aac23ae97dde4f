package io.scriptforge.operator.election;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.scriptforge.operator.OperatorConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The SDK's leader election settings, from the operator's configuration: a pure function, checked up front. */
public final class LeaderElectionSettings {
    private static final Logger LOG = Logger.getLogger(LeaderElectionSettings.class);
    private static final String PREFIX = "scriptforge.operator.leader-election.";
    /** fabric8's LeaderElector waits up to this much more than a retry period between tries (its constant is protected). */
    private static final double RETRY_JITTER = 1.2;

    private LeaderElectionSettings() {}

    /**
     * This process's name in the Lease: the pod's name (configured, else HOSTNAME), then {@code _} and an id of this
     * process, as controller-runtime names its candidates. A container restarted in the same pod keeps the pod's
     * name; were that the identity, the new process would take the lease its killed predecessor still holds as its
     * own, and a Lease could never tell which process of a pod holds it.
     */
    public static String identity(Optional<String> configured, String hostname, UUID process) {
        String pod = configured
                .filter(name -> !name.isBlank())
                .orElseGet(() -> hostname == null || hostname.isBlank() ? "scriptforge-operator" : hostname);
        return pod + "_" + process;
    }

    /**
     * @param identity this process's name in the Lease (see {@link #identity})
     * @param onStopLeading what to do once this replica no longer leads (see {@link LeaseLoss})
     * @throws IllegalArgumentException naming the setting, when the durations cannot work together
     */
    public static LeaderElectionConfiguration of(
            OperatorConfig.LeaderElection config, String identity, Runnable onStopLeading) {
        check(config);
        String lease = config.leaseNamespace().map(ns -> ns + "/").orElse("") + config.leaseName();
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
                .withLeaseNamespace(config.leaseNamespace().orElse(null))
                .withIdentity(identity)
                .withLeaseDuration(config.leaseDuration())
                .withRenewDeadline(config.renewDeadline())
                .withRetryPeriod(config.retryPeriod())
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> LOG.infof("leading: this replica holds the lease %s and reconciles", lease),
                        onStopLeading,
                        leader -> {}))
                .build();
    }

    // The rules fabric8's elector enforces when it starts, said here with the names of the settings.
    private static void check(OperatorConfig.LeaderElection config) {
        Duration lease = config.leaseDuration();
        Duration renew = config.renewDeadline();
        Duration retry = config.retryPeriod();
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException(PREFIX + "retry-period must be positive (got " + retry + ")");
        }
        if (renew.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(PREFIX + "renew-deadline (" + renew + ") must be shorter than " + PREFIX
                    + "lease-duration (" + lease + "): a leader must give up before another replica may take over");
        }
        Duration longestRetry = retry.plusMillis((long) Math.ceil(retry.toMillis() * RETRY_JITTER));
        if (renew.compareTo(longestRetry) <= 0) {
            throw new IllegalArgumentException(PREFIX + "renew-deadline (" + renew + ") must be longer than "
                    + longestRetry + ", a retry-period (" + retry + ") with its jitter: set a shorter retry-period");
        }
    }
}
