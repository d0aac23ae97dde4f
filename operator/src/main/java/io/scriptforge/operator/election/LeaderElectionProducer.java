package io.scriptforge.operator.election;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import io.scriptforge.operator.OperatorConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * Turns leader election on: QOSDK looks up a {@link LeaderElectionConfiguration} bean (in the prod profile). Every
 * replica then starts its informers, so a follower is Ready (QOSDK's readiness check asks for started controllers
 * with healthy event sources, not for the lease) and takes over with warm caches; only the Lease holder reconciles.
 */
@Singleton
public class LeaderElectionProducer {
    private final LeaseLoss leaseLoss = LeaseLoss.exitingTheProcess();
    private final UUID process = UUID.randomUUID();

    /** Null (no bean instance: no election) when {@code scriptforge.operator.leader-election.enabled} is false. */
    @Produces
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return config.leaderElection().enabled()
                ? LeaderElectionSettings.of(config.leaderElection(), identity(config), leaseLoss)
                : null;
    }

    /** Before QOSDK stops the operator (which ends the election): that is a shutdown, not a lost lease. */
    void stopping(@Observes @Priority(1) ShutdownEvent event, OperatorConfig config, KubernetesClient client) {
        OperatorConfig.LeaderElection election = config.leaderElection();
        if (!election.enabled()) {
            return;
        }
        // The SDK's own fallback for the namespace: the client's.
        String namespace = election.leaseNamespace()
                .orElseGet(() -> client.getConfiguration().getNamespace());
        leaseLoss.stopping(
                namespace == null
                        ? () -> {}
                        : new LeaseRelease(client, namespace, election.leaseName(), identity(config)));
    }

    private String identity(OperatorConfig config) {
        return LeaderElectionSettings.identity(config.leaderElection().identity(), System.getenv("HOSTNAME"), process);
    }
}
