package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.scriptforge.it.AppClient;
import io.scriptforge.it.cluster.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A runner pod that started while its database was down serves its Apps once the database is back, without being
 * restarted. Last of the run: it takes the chart's PostgreSQL away for a while.
 */
@OnRealNode
@Order(7)
class DatabaseRecoveryE2E {
    private static final String POSTGRES = Platform.RELEASE + "-postgresql";

    private final Platform platform;
    private final RealNode node;

    DatabaseRecoveryE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @Test
    void aRunnerStartedWithoutItsDatabaseServesItsAppsOnceTheDatabaseIsBack() throws Exception {
        node.kubectl("apply", "-n", Platform.NAMESPACE, "-f", "examples/notes-app.yaml")
                .orFail();
        platform.awaitReadyCondition("app/notes");
        scalePostgres(0);
        Await.untilTrue(
                "PostgreSQL's pod to be gone",
                Duration.ofMinutes(2),
                () -> node.client()
                        .pods()
                        .inNamespace(Platform.NAMESPACE)
                        .withLabel("app.kubernetes.io/component", "database")
                        .list()
                        .getItems()
                        .isEmpty());

        Set<String> before = platform.runners("default").stream()
                .map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        String replaced = before.iterator().next();
        node.kubectl("delete", "pod", replaced, "-n", Platform.NAMESPACE, "--wait=true")
                .orFail();
        Pod fresh = Await.until(
                "a new runner pod, Ready without its database",
                Duration.ofMinutes(3),
                () -> platform.runners("default").stream()
                        .filter(p -> !before.contains(p.getMetadata().getName()))
                        .findFirst()
                        .orElse(null));
        String freshName = fresh.getMetadata().getName();
        String address = fresh.getStatus().getPodIP() + ":8080";
        assertThat(loginWorks(address))
                .as("the notes App on %s while the database is down", freshName)
                .isFalse();

        long back = System.nanoTime();
        scalePostgres(1);
        Await.until(
                "the new runner pod to serve the notes App",
                Duration.ofMinutes(3),
                () -> loginWorks(address) ? true : null);
        Figures.record(
                node,
                "database back -> a runner started without it serves its App (no restart)",
                Figures.seconds(System.nanoTime() - back));
        Pod after = node.client()
                .pods()
                .inNamespace(Platform.NAMESPACE)
                .withName(freshName)
                .get();
        assertThat(after.getMetadata().getUid()).isEqualTo(fresh.getMetadata().getUid());
        assertThat(after.getStatus().getContainerStatuses().getFirst().getRestartCount())
                .as("restarts of %s", freshName)
                .isZero();
    }

    /** A login and a statement of the notes App on one runner pod. */
    private static boolean loginWorks(String address) {
        try (AppClient alice = new AppClient(address, Platform.NAMESPACE, "notes", "alice", "change-me")) {
            alice.send("{\"mt\":\"SqlExec\",\"src\":\"probe\",\"statement\":\"list\",\"args\":{}}");
            JsonNode done = alice.next("SqlExecResult");
            return done.path("error").isMissingNode();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    private void scalePostgres(int replicas) {
        node.kubectl("scale", "statefulset", POSTGRES, "-n", Platform.NAMESPACE, "--replicas=" + replicas)
                .orFail();
        if (replicas > 0) {
            Await.untilTrue("PostgreSQL to be Ready", Duration.ofMinutes(3), () -> {
                List<Pod> pods = node.readyPods(Platform.NAMESPACE, "app.kubernetes.io/component", "database");
                return pods.size() == replicas;
            });
        }
    }
}
