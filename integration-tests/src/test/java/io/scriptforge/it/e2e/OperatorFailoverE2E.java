package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.scriptforge.it.cluster.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election: one holds the lease and reconciles; when its process is killed
 * (SIGKILL: it cannot give the lease up) a live process takes the lease over once it expires (the other replica,
 * or the killed one's container restarted in the same pod: a new process, so a new identity), and a Script
 * applied meanwhile is reconciled within seconds.
 */
@OnRealNode
@Order(6)
class OperatorFailoverE2E {
    private static final String OPERATOR_LABEL = "app.kubernetes.io/component";
    private static final Duration HAND_OVER = Duration.ofSeconds(60);

    private final Platform platform;
    private final RealNode node;

    OperatorFailoverE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @Test
    void killingTheLeaderHandsOverAndWhatWasAppliedMeanwhileIsReconciled() throws Exception {
        new Helm(node.repoRoot().resolve("helm/scriptforge"))
                .upgrade()
                .withName(Platform.RELEASE)
                .withNamespace(Platform.NAMESPACE)
                .withKubeConfig(node.kubeconfig())
                .withValuesFile(platform.values())
                .set("operator.replicas", 2)
                .call();
        List<Pod> operators = Await.until("two Ready operator pods", Duration.ofMinutes(3), () -> {
            List<Pod> ready = node.readyPods(Platform.NAMESPACE, OPERATOR_LABEL, "operator");
            return ready.size() == 2 ? ready : null;
        });
        Set<String> names =
                operators.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        Lease lease = Await.until("one of them to hold the lease", HAND_OVER, () -> leaseHeldBy(names));
        String leader = podOf(lease);
        String killedProcess = lease.getSpec().getHolderIdentity();
        assertThat(operators).extracting(p -> p.getMetadata().getName()).contains(leader);

        long killed = System.nanoTime();
        node.killContainerProcesses(operators.stream()
                .filter(p -> p.getMetadata().getName().equals(leader))
                .findFirst()
                .orElseThrow());
        Path script = Files.writeString(Files.createTempFile(node.logsDir(), "meanwhile", ".yaml"), """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: applied-meanwhile}
                spec:
                  code: "function main() { return 'reconciled'; }"
                """);
        node.kubectl("apply", "-n", Platform.NAMESPACE, "-f", script.toString()).orFail();
        // Whichever live process wins the race once the lease runs out: the other pod or the restarted container.
        Lease successor = Await.until("a live operator process to take the lease", HAND_OVER, () -> {
            Lease current = leaseHeldBy(names);
            return current != null && !current.getSpec().getHolderIdentity().equals(killedProcess) ? current : null;
        });
        long handedOver = System.nanoTime();
        node.kubectl(
                        "wait",
                        "-n",
                        Platform.NAMESPACE,
                        "--for=condition=Ready",
                        "script/applied-meanwhile",
                        "--timeout=60s")
                .orFail();
        long reconciled = System.nanoTime();
        String taker = podOf(successor).equals(leader) ? "the killed one's restarted container" : "the other replica";
        Figures.record(
                node,
                "operator leader's process killed -> lease taken (by " + taker
                        + ") / -> Script applied meanwhile Ready",
                Figures.seconds(handedOver - killed) + " / " + Figures.seconds(reconciled - killed));
        // The lease runs 10 s from its last renewal, at most a retry period with jitter (2.4 s) before the kill.
        assertThat(Duration.ofNanos(handedOver - killed))
                .as("a dead leader's lease is not taken before it runs out")
                .isGreaterThan(Duration.ofSeconds(7));
        assertThat(Duration.ofNanos(reconciled - killed))
                .as("leader killed -> reconciled")
                .isLessThan(Duration.ofSeconds(30));
        node.kubectl("delete", "-n", Platform.NAMESPACE, "-f", script.toString())
                .orFail();
    }

    /** The lease in the platform's namespace held by one of {@code candidates}, or null. */
    private Lease leaseHeldBy(Set<String> candidates) {
        return node.client().leases().inNamespace(Platform.NAMESPACE).list().getItems().stream()
                .filter(l -> l.getSpec() != null && l.getSpec().getHolderIdentity() != null)
                .filter(l -> candidates.contains(podOf(l)))
                .findFirst()
                .orElse(null);
    }

    /** The pod name in a lease's holder identity (the pod's name, {@code _} and an id of the process). */
    private static String podOf(Lease lease) {
        String identity = lease.getSpec().getHolderIdentity();
        int separator = identity.indexOf('_');
        return separator < 0 ? identity : identity.substring(0, separator);
    }
}
