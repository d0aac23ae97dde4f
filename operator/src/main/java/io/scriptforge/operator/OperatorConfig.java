package io.scriptforge.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the operator ({@code scriptforge.operator.*}; the Helm chart sets them as SCRIPTFORGE_OPERATOR_* env). */
@ConfigMapping(prefix = "scriptforge.operator")
public interface OperatorConfig {
    /** Image of the runner pods of a RunnerPool that names none. */
    @WithDefault("ghcr.io/scriptforge/scriptforge-runner:0.1.0")
    String runnerImage();

    /** Pull policy of the runner image. */
    @WithDefault("IfNotPresent")
    String runnerImagePullPolicy();

    /** Secret (keys url, username, password) runner pods read their PostgreSQL settings from, in their own namespace. */
    Optional<String> databaseSecret();

    /** How long a Script that waits for something (its pool, app or a module) waits before it is looked at again. */
    @WithDefault("10s")
    Duration recheckInterval();

    /** Leader election among the operator's replicas: one reconciles, the others wait with warm caches. */
    LeaderElection leaderElection();

    /**
     * One Lease decides which replica reconciles. Durations: a killed leader is replaced within
     * {@code lease-duration} plus a {@code retry-period}, and a leader that cannot renew for {@code renew-deadline}
     * stops leading (and exits, so that its pod restarts as a follower).
     */
    interface LeaderElection {
        /** Elect a leader (in the prod profile: QOSDK leaves dev mode and tests without one); false: run one replica only. */
        @WithDefault("true")
        boolean enabled();

        /** Name of the Lease (the chart names it after its release). */
        @WithDefault("scriptforge-operator")
        String leaseName();

        /** Namespace of the Lease: the chart gives the pod's own (POD_NAMESPACE); unset, the client's (kubeconfig, service account). */
        Optional<String> leaseNamespace();

        /** This replica's name in the Lease, before {@code _} and an id of the process: the chart gives the pod's name (POD_NAME); unset, HOSTNAME. */
        Optional<String> identity();

        /** How long a lease holds without renewal: the longest a killed leader leaves the operator without one. */
        @WithDefault("10s")
        Duration leaseDuration();

        /** How long the leader keeps failing to renew before it stops leading; shorter than lease-duration. */
        @WithDefault("8s")
        Duration renewDeadline();

        /** How often the leader renews and followers try to take the lease; well under renew-deadline. */
        @WithDefault("2s")
        Duration retryPeriod();
    }
}
