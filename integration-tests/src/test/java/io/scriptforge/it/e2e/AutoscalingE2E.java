package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.scriptforge.it.cluster.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Under a bounded CPU load through its Service (a set rate of CPU-bound requests, about a third of the node's two
 * cores when warm, so the runners the autoscaler adds have CPU to start on), a pool's autoscaler (CPU read by metrics-server) scales its runners
 * from one to three, and back down after the load, within the stabilization windows the RunnerPool sets. Each
 * runner it adds reports Ready only once its warm-up has settled (its readiness says so: compilers quiet, throughput
 * no longer climbing), not at the warm-up's cap, and then serves at warm speed: its median latency in its first ten
 * seconds of traffic is at most twice that of the runner that was there all along, over the same seconds under the
 * same load. (With the earlier rule, throughput flat for 3 s and a 20 s cap, new runners were 4 to 10 times slower.)
 */
@OnRealNode
@Order(4)
class AutoscalingE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "autoscale";
    private static final int CLIENTS = 6;
    private static final int REQUESTS_PER_SECOND = 150;
    private static final int MAX_REPLICAS = 3;
    private static final long FIRST_SECONDS = Duration.ofSeconds(10).toNanos();
    /**
     * A new runner's median latency in its first ten seconds, over the warm one's: "serves at warm speed". Measured on
     * the 2-core test node with the warm-up waiting for quiet compilers: 1.2 to 1.9, once 2.1 (a 1.8 ms p50 against a
     * warm 0.8 ms); before it, 4.3 to 6.1. 2.5 tells the two apart without failing on the node's noise.
     */
    private static final double WARM_SPEED_RATIO = 2.5;

    /**
     * The work of one request: fib(25). At fib(18), a runner warm at Ready served the whole load on 38 % of its CPU
     * request, under the pool's 50 % target: the autoscaler went back to one runner before the two it had added were
     * Ready (their JVMs and warm-ups take longer than the 15 s scale-down window), and three never were. fib(25) is
     * about 29 times the work, several times the target for one runner and still about one for three.
     */
    private static final int FIB_N = 25;

    private final Platform platform;
    private final RealNode node;

    AutoscalingE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @BeforeAll
    static void aPoolOfOne(Platform platform) {
        platform.apply("/e2e/autoscale.yaml");
        platform.awaitRunners(POOL, 1);
        platform.awaitReadyCondition("script/busy");
    }

    @AfterAll
    static void removeThePool(Platform platform) {
        platform.saveLogs(); // the pool's runners go with it
        platform.delete("/e2e/autoscale.yaml");
    }

    @Test
    void underLoadThePoolScalesToThreeWarmedUpRunnersAndBackDown() {
        String warmPod = platform.runners(POOL).getFirst().getMetadata().getName();
        String uuid = node.kubectl("get", "script", "busy", "-n", Platform.NAMESPACE, "-o", "jsonpath={.status.uuid}")
                .orFail()
                .stdout();
        URI invoke = platform.serviceUri(POOL, "/v1/invoke/" + uuid);
        Map<String, Long> seen = new LinkedHashMap<>();
        Map<String, Long> ready = new LinkedHashMap<>();
        Map<String, JsonNode> warmUps = new LinkedHashMap<>();
        long[] scaleDecided = {-1};

        List<HttpLoad.Outcome> outcomes;
        try (HttpLoad load =
                HttpLoad.paced(CLIENTS, REQUESTS_PER_SECOND, invoke, "{\"n\":" + FIB_N + "}", Duration.ofSeconds(30))) {
            awaitOrTell(
                    seen,
                    ready,
                    () -> {
                        long now = load.elapsedNanos();
                        HorizontalPodAutoscaler hpa = node.client()
                                .autoscaling()
                                .v2()
                                .horizontalPodAutoscalers()
                                .inNamespace(Platform.NAMESPACE)
                                .withName("scriptforge-runner-" + POOL)
                                .get();
                        if (scaleDecided[0] < 0
                                && hpa.getStatus() != null
                                && hpa.getStatus().getDesiredReplicas() != null
                                && hpa.getStatus().getDesiredReplicas() > 1) {
                            scaleDecided[0] = now;
                        }
                        for (Pod pod : node.client()
                                .pods()
                                .inNamespace(Platform.NAMESPACE)
                                .withLabel(Platform.POOL_LABEL, POOL)
                                .list()
                                .getItems()) {
                            String name = pod.getMetadata().getName();
                            seen.putIfAbsent(name, now);
                            if (RealNode.isReady(pod) && ready.putIfAbsent(name, now) == null) {
                                warmUps.put(name, warmUpOf(pod));
                            }
                        }
                        Map<String, List<HttpLoad.Outcome>> byPod =
                                HttpLoad.by(load.outcomes(), HttpLoad.Outcome::host);
                        long servedLongEnough = ready.keySet().stream()
                                .filter(p -> !p.equals(warmPod))
                                .filter(byPod::containsKey)
                                .filter(p -> now - byPod.get(p).getFirst().sentNanos() > FIRST_SECONDS)
                                .count();
                        return ready.size() >= MAX_REPLICAS && servedLongEnough >= MAX_REPLICAS - 1;
                    },
                    load);
            outcomes = load.stop();
        }

        Map<String, List<HttpLoad.Outcome>> byPod = HttpLoad.by(outcomes, HttpLoad.Outcome::host);
        Figures.record(node, "scale-up: load start -> the HPA wants more runners", Figures.seconds(scaleDecided[0]));
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String pod : ready.keySet()) {
            if (pod.equals(warmPod)) {
                continue;
            }
            long firstAnswer = byPod.get(pod).getFirst().sentNanos();
            List<HttpLoad.Outcome> newPod = window(byPod.get(pod), firstAnswer);
            List<HttpLoad.Outcome> warm = window(byPod.get(warmPod), firstAnswer);
            double newP50 = HttpLoad.percentileMillis(newPod, 50);
            double warmP50 = HttpLoad.percentileMillis(warm, 50);
            Figures.record(
                    node,
                    "scale-up of " + pod,
                    "load start -> pod created " + Figures.seconds(seen.get(pod))
                            + " -> Ready " + Figures.seconds(ready.get(pod)) + " -> first answer "
                            + Figures.seconds(firstAnswer)
                            + "; its first 10 s: p50 " + fmt(newP50) + " ms over " + newPod.size()
                            + " requests, the warm runner's p50 over the same seconds "
                            + fmt(warmP50) + " ms (" + warm.size() + " requests), ratio " + fmt(newP50 / warmP50));
            ratios.put(pod, newP50 / warmP50);
            JsonNode warmUp = warmUps.get(pod);
            Figures.record(node, "warm-up of " + pod + " before it was Ready", warmUp.toString());
            assertThat(warmUp.path("state").asText())
                    .as("%s's warm-up when it turned Ready: %s", pod, warmUp)
                    .isEqualTo("done");
            assertThat(warmUp.path("settled").asBoolean())
                    .as("%s's warm-up settled (not stopped at its cap): %s", pod, warmUp)
                    .isTrue();
        }
        assertThat(ratios)
                .as("new runners' p50 in their first 10 s over the warm runner's")
                .allSatisfy((pod, ratio) -> assertThat(ratio).as(pod).isLessThanOrEqualTo(WARM_SPEED_RATIO));
        assertThat(HttpLoad.failures(outcomes))
                .as("failed requests out of %d", outcomes.size())
                .isEmpty();

        long loadStopped = System.nanoTime();
        // Down, not necessarily to one: three idle runners (informers, the scheduler's polls) use a tenth of their
        // CPU request or more each, a fifth to a third of this pool's target, so the autoscaler may keep two.
        int left = Await.until("the pool to scale back down", Duration.ofMinutes(4), () -> {
            int pods = node.client()
                    .pods()
                    .inNamespace(Platform.NAMESPACE)
                    .withLabel(Platform.POOL_LABEL, POOL)
                    .list()
                    .getItems()
                    .size();
            return pods < MAX_REPLICAS ? pods : null;
        });
        Figures.record(
                node,
                "scale-down: load stopped -> " + left + " runner(s) left (scaleDownStabilization 15s)",
                Figures.seconds(System.nanoTime() - loadStopped));
    }

    /** Waits for the scale-up; when it does not come, says how far it got (pods seen, Ready, answering; the HPA). */
    private void awaitOrTell(
            Map<String, Long> seen, Map<String, Long> ready, java.util.function.Supplier<Boolean> done, HttpLoad load) {
        try {
            Await.untilTrue(MAX_REPLICAS + " Ready runners, each serving for ten seconds", Duration.ofMinutes(6), done);
        } catch (AssertionError e) {
            HorizontalPodAutoscaler hpa = node.client()
                    .autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(Platform.NAMESPACE)
                    .withName("scriptforge-runner-" + POOL)
                    .get();
            throw new AssertionError(
                    e.getMessage() + "; pods seen at " + seen + ", Ready at " + ready + ", answers by pod "
                            + HttpLoad.by(load.outcomes(), HttpLoad.Outcome::host).entrySet().stream()
                                    .map(en -> en.getKey() + "=" + en.getValue().size())
                                    .toList()
                            + ", failures " + HttpLoad.failures(load.outcomes()).size() + ", HPA status "
                            + (hpa == null ? null : hpa.getStatus()),
                    e);
        }
    }

    /** The warm-up's part of a runner's readiness, as the runner reports it. */
    private static JsonNode warmUpOf(Pod pod) {
        HttpResponse<String> readiness = Platform.get(Platform.podUri(pod, "/q/health/ready"));
        try {
            for (JsonNode check : JSON.readTree(readiness.body()).path("checks")) {
                if (check.path("name").asText().equals("warm-up")) {
                    return check.path("data");
                }
            }
        } catch (IOException e) {
            throw new AssertionError(
                    "readiness of " + pod.getMetadata().getName() + " is not JSON: " + readiness.body(), e);
        }
        throw new AssertionError(
                "readiness of " + pod.getMetadata().getName() + " has no warm-up check: " + readiness.body());
    }

    /** What was sent in the ten seconds from {@code start} on. */
    private static List<HttpLoad.Outcome> window(List<HttpLoad.Outcome> outcomes, long start) {
        return outcomes.stream()
                .filter(o -> o.sentNanos() >= start && o.sentNanos() < start + FIRST_SECONDS)
                .toList();
    }

    private static String fmt(double value) {
        return String.format("%.1f", value);
    }
}
