package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.scriptforge.it.cluster.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A change to a pool rolls its runner Deployment while a steady load runs through the pool's Service, and not one
 * request fails: the old runners drain (not ready at once, every answer with Connection: close, in-flight work
 * finished) while the new ones, Ready only once warm, take over.
 */
@OnRealNode
@Order(3)
class RolloutE2E {
    private static final String POOL = "rollout";
    private static final int CLIENTS = 6;

    private final Platform platform;
    private final RealNode node;

    RolloutE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @BeforeAll
    static void aPoolOfTwo(Platform platform) {
        platform.apply("/e2e/rollout.yaml");
        platform.awaitRunners(POOL, 2);
        platform.awaitReadyCondition("script/rollout-echo");
    }

    @AfterAll
    static void removeThePool(Platform platform) {
        platform.delete("/e2e/rollout.yaml");
    }

    @Test
    void changingThePoolRollsItsRunnersWithoutASingleFailedRequest() {
        List<Pod> before = platform.runners(POOL);
        Set<String> oldPods =
                before.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        String uuid = node.kubectl(
                        "get", "script", "rollout-echo", "-n", Platform.NAMESPACE, "-o", "jsonpath={.status.uuid}")
                .orFail()
                .stdout();
        URI invoke = platform.serviceUri(POOL, "/v1/invoke/" + uuid);
        Deployment deployment = node.client()
                .apps()
                .deployments()
                .inNamespace(Platform.NAMESPACE)
                .withName("scriptforge-runner-" + POOL)
                .get();
        long generation = deployment.getMetadata().getGeneration();

        List<HttpLoad.Outcome> outcomes;
        long rolled;
        try (HttpLoad load = HttpLoad.start(CLIENTS, invoke, "{\"seq\":1}", Duration.ofSeconds(30))) {
            Await.untilTrue(
                    "a steady load",
                    Duration.ofSeconds(30),
                    () -> load.outcomes().size() > 200);
            long changed = System.nanoTime();
            node.kubectl(
                            "patch",
                            "runnerpool",
                            POOL,
                            "-n",
                            Platform.NAMESPACE,
                            "--type=merge",
                            "-p",
                            "{\"spec\":{\"sandbox\":{\"defaultTimeout\":\"20s\"}}}")
                    .orFail();
            Await.untilTrue(
                    "the rollout to finish: two new runners Ready, the old ones gone", Duration.ofMinutes(8), () -> {
                        Deployment current = node.client()
                                .apps()
                                .deployments()
                                .inNamespace(Platform.NAMESPACE)
                                .withName("scriptforge-runner-" + POOL)
                                .get();
                        List<Pod> pods = node.client()
                                .pods()
                                .inNamespace(Platform.NAMESPACE)
                                .withLabel(Platform.POOL_LABEL, POOL)
                                .list()
                                .getItems();
                        return current.getMetadata().getGeneration() > generation
                                && current.getStatus().getObservedGeneration()
                                        >= current.getMetadata().getGeneration()
                                && Integer.valueOf(2).equals(current.getStatus().getUpdatedReplicas())
                                && Integer.valueOf(2).equals(current.getStatus().getReadyReplicas())
                                && pods.size() == 2
                                && pods.stream()
                                        .noneMatch(p ->
                                                oldPods.contains(p.getMetadata().getName()));
                    });
            rolled = System.nanoTime() - changed;
            long afterRollout = load.elapsedNanos();
            // Every new runner answers within a connection's age (scriptforge.max-connection-age, 10 s): the clients
            // that reconnected when the last old runner drained may all have reached the same new one.
            Set<String> rolledIn = platform.runners(POOL).stream()
                    .map(p -> p.getMetadata().getName())
                    .collect(Collectors.toSet());
            Await.untilTrue(
                    "five more seconds of load, and an answer from each new runner",
                    Duration.ofSeconds(30),
                    () -> load.elapsedNanos() - afterRollout
                                    > Duration.ofSeconds(5).toNanos()
                            && HttpLoad.by(load.outcomes(), HttpLoad.Outcome::host)
                                    .keySet()
                                    .containsAll(rolledIn));
            outcomes = load.stop();
        }

        List<HttpLoad.Outcome> failures = HttpLoad.failures(outcomes);
        Set<String> answeredBy = HttpLoad.by(outcomes, HttpLoad.Outcome::host).keySet();
        Set<String> newPods = platform.runners(POOL).stream()
                .map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        Figures.record(
                node,
                "rollout of a 2-runner pool under " + CLIENTS + " clients of steady load",
                outcomes.size() + " requests, " + failures.size() + " failed, rollout took " + Figures.seconds(rolled)
                        + ", p50/p99 " + HttpLoad.percentileMillis(outcomes, 50) + "/"
                        + HttpLoad.percentileMillis(outcomes, 99) + " ms");
        assertThat(failures).as("failed requests out of %d", outcomes.size()).isEmpty();
        assertThat(answeredBy).as("runners that answered").containsAll(oldPods).containsAll(newPods);
    }
}
