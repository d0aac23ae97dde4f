package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.ManagedProcess;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.ScriptForgeProcesses.OperatorRelease;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operators, as two replicas of the chart's Deployment (its identity, its Lease), against a real API server:
 * one leads and reconciles, the other waits, Ready; when the leader is killed (SIGKILL: its lease is not
 * released), the other takes the Lease over once it expires and reconciles what was applied meanwhile. A leader
 * that stops cleanly releases the Lease.
 */
@WithCluster
class LeaderElectionIT {
    private static final String NS = "leader-it";
    /** 10 s lease, 2 s retries with up to 1.2 x jitter: the follower leads 8 to 15 s after the kill. */
    private static final Duration HAND_OVER = Duration.ofSeconds(20);

    private final TestCluster cluster;
    private final KubernetesClient client;

    LeaderElectionIT(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    @Test
    void oneOfTwoOperatorsLeadsAndTheOtherTakesOverWithinSecondsOfItsDeath() throws Exception {
        cluster.installCrds();
        ScriptForgeProcesses.stopOperator(); // it watches every namespace, this one too
        OperatorRelease release = ScriptForgeProcesses.operatorRelease(cluster, "leader-it", NS, NS);
        Map<String, ManagedProcess> operators = new HashMap<>();
        try {
            // One after the other, as a rollout starts them (and sooner on two cores than both at once); the
            // pool is reconciled while the second one starts.
            start(release, "operator-a", operators);
            apply("before-pool.yaml");
            start(release, "operator-b", operators);

            String leader =
                    Await.until("a holder of Lease " + NS + "/" + release.leaseName(), Duration.ofSeconds(30), () -> {
                        String holder = holder(release);
                        return holder == null || holder.isEmpty() ? null : holder;
                    });
            String follower = leader.equals("operator-a") ? "operator-b" : "operator-a";
            Lease lease = client.leases()
                    .inNamespace(NS)
                    .withName(release.leaseName())
                    .get();
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
            Await.untilTrue(
                    "the leader to reconcile pool 'before'", Duration.ofSeconds(30), () -> reconciled("before"));
            assertThat(log(operators.get(leader))).contains("RunnerPool " + NS + "/before: status changed, patching");
            assertThat(log(operators.get(follower)))
                    .as("the follower reconciles nothing")
                    .doesNotContain("RunnerPool " + NS + "/");

            long killed = System.nanoTime();
            ProcessHandle.of(operators.get(leader).pid()).orElseThrow().destroyForcibly();
            apply("after-pool.yaml");

            Await.until(
                    follower + " to hold the Lease", HAND_OVER, () -> follower.equals(holder(release)) ? true : null);
            long handOver = System.nanoTime() - killed;
            Await.untilTrue(follower + " to reconcile pool 'after'", Duration.ofSeconds(30), () -> reconciled("after"));
            long reconciledAfter = System.nanoTime() - killed;

            System.out.printf(
                    "[measure] leader %s killed -> %s holds the Lease: %d ms; -> pool applied meanwhile reconciled: %d ms%n",
                    leader, follower, handOver / 1_000_000, reconciledAfter / 1_000_000);
            assertThat(log(operators.get(follower))).contains("RunnerPool " + NS + "/after: status changed, patching");
            assertThat(client.leases()
                            .inNamespace(NS)
                            .withName(release.leaseName())
                            .get()
                            .getSpec()
                            .getLeaseTransitions())
                    .isEqualTo(lease.getSpec().getLeaseTransitions() + 1);

            // A clean stop (a rollout, kubectl delete pod) gives the lease up: the next replica need not wait it out.
            operators.get(follower).close();
            assertThat(holder(release))
                    .as("the Lease after its holder stopped cleanly")
                    .isEmpty();
        } finally {
            operators.values().forEach(ManagedProcess::close);
        }
    }

    /** Ready, whether it leads or not: a follower must not stall a rollout of the Deployment. */
    private void start(OperatorRelease release, String pod, Map<String, ManagedProcess> operators) {
        int port = ScriptForgeProcesses.freePort();
        operators.put(pod, ScriptForgeProcesses.startOperator(cluster, release, pod, port));
        ScriptForgeProcesses.awaitReady(operators.get(pod), port, Duration.ofSeconds(90));
    }

    /** The pod name of the Lease's holder (its identity is the pod's name, {@code _} and an id of the process). */
    private String holder(OperatorRelease release) {
        Lease lease =
                client.leases().inNamespace(NS).withName(release.leaseName()).get();
        String identity = lease == null ? null : lease.getSpec().getHolderIdentity();
        return identity == null || identity.indexOf('_') < 0 ? identity : identity.substring(0, identity.indexOf('_'));
    }

    /** The pool's runner Deployment exists and its status was written. */
    private boolean reconciled(String pool) {
        RunnerPool current = client.resources(RunnerPool.class)
                .inNamespace(NS)
                .withName(pool)
                .get();
        return current != null
                && current.getStatus() != null
                && current.getStatus().condition("Ready").isPresent()
                && client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("scriptforge-runner-" + pool)
                                .get()
                        != null;
    }

    private void apply(String fixture) throws URISyntaxException {
        Path file = Path.of(LeaderElectionIT.class
                .getResource("/LeaderElectionIT/" + fixture)
                .toURI());
        cluster.kubectl("apply", "-n", NS, "-f", file.toString()).orFail();
    }

    private static String log(ManagedProcess process) {
        try {
            return Files.readString(process.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
