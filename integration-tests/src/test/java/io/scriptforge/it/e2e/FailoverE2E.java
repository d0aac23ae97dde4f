package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.scriptforge.it.AppClient;
import io.scriptforge.it.cluster.Await;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A pool of three runner pods loses one: a background job running on the killed pod completes on another (killed by
 * the API, and once by killing its container's process on the node); a schedule still ticks exactly once per tick;
 * an App session on one pod still gets the SqlUpdates of inserts made through another.
 */
@OnRealNode
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "failover";
    private static final int REPLICAS = 3;
    /** db-scheduler's defaults in the runner: a beat every 5 s, dead after 6 missed, then taken over. */
    private static final Duration TAKEOVER = Duration.ofSeconds(120);

    private final Platform platform;
    private final RealNode node;

    FailoverE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @BeforeAll
    static void aPoolOfThree(Platform platform) {
        platform.apply("/e2e/failover.yaml");
        platform.awaitRunners(POOL, REPLICAS);
        platform.awaitReadyCondition("script/failover-job");
        platform.awaitReadyCondition("script/failover-ticker");
        platform.awaitReadyCondition("app/board");
    }

    @AfterAll
    static void removeThePool(Platform platform) {
        platform.saveLogs(); // the pool's runners go with it
        platform.delete("/e2e/failover.yaml");
    }

    @Test
    @Order(1)
    void aJobWhoseRunnerPodIsDeletedCompletesOnAnotherPod() {
        jobSurvives(victim -> node.kubectl(
                        "delete",
                        "pod",
                        victim.getMetadata().getName(),
                        "-n",
                        Platform.NAMESPACE,
                        "--grace-period=0",
                        "--force")
                .orFail());
    }

    @Test
    @Order(2)
    void aJobWhoseRunnerProcessIsKilledOnTheNodeCompletes() {
        jobSurvives(node::killContainerProcesses);
    }

    private void jobSurvives(java.util.function.Consumer<Pod> kill) {
        platform.awaitRunners(POOL, REPLICAS);
        String uuid = uuidOf("failover-job");
        HttpResponse<String> posted =
                Platform.post(platform.serviceUri(POOL, "/v1/jobs/" + uuid + "?attempts=3"), "{\"order\": 7}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = json(posted.body()).path("id").asText();

        JsonNode active = Await.until("job " + id + " to run", Duration.ofSeconds(60), () -> {
            JsonNode job = job(id);
            return job.path("state").asText().equals("active") ? job : null;
        });
        String runnerPod = active.path("runner").asText().split("/")[0];
        Pod victim = node.client()
                .pods()
                .inNamespace(Platform.NAMESPACE)
                .withName(runnerPod)
                .get();
        assertThat(victim)
                .as(
                        "the pod named by the job's runner, %s",
                        active.path("runner").asText())
                .isNotNull();
        long killed = System.nanoTime();
        kill.accept(victim);

        JsonNode done = Await.until("job " + id + " to complete after its runner was killed", TAKEOVER, () -> {
            JsonNode job = job(id);
            assertThat(job.path("state").asText()).as(job.toString()).isNotEqualTo("failed");
            return job.path("state").asText().equals("completed") ? job : null;
        });
        Figures.record(
                node,
                "job failover: runner killed -> job completed by another runner process",
                Figures.seconds(System.nanoTime() - killed));
        assertThat(done.path("attempts").asInt()).as(done.toString()).isEqualTo(2);
        assertThat(done.path("result").path("data").path("order").asInt()).isEqualTo(7);
        assertThat(done.path("runner").asText())
                .as("the runner of the completed attempt")
                .isNotEqualTo(active.path("runner").asText());
    }

    @Test
    @Order(3)
    void anAppSessionOnOnePodGetsTheUpdatesOfInsertsMadeThroughAnother() throws Exception {
        List<Pod> pods = platform.awaitRunners(POOL, REPLICAS);
        try (AppClient watcher = new AppClient(
                        pods.get(0).getStatus().getPodIP() + ":8080",
                        Platform.NAMESPACE,
                        "board",
                        "watcher",
                        "replicas");
                AppClient writer = new AppClient(
                        pods.get(1).getStatus().getPodIP() + ":8080",
                        Platform.NAMESPACE,
                        "board",
                        "writer",
                        "replicas")) {
            watcher.send("{\"mt\":\"SqlMonitor\",\"name\":\"posts\",\"src\":\"w\"}");
            watcher.next("SqlMonitorResult");
            writer.send(
                    "{\"mt\":\"SqlInsert\",\"statement\":\"post\",\"src\":\"p\",\"args\":{\"text\":\"from another pod\"}}");
            long id = writer.next("SqlInsertResult").path("id").asLong();

            JsonNode update = watcher.next("SqlUpdate");
            assertThat(update.path("id").asLong()).isEqualTo(id);
            assertThat(update.path("obj").path("text").asText()).isEqualTo("from another pod");
            assertThat(update.path("obj").path("@sip").asText()).isEqualTo("writer");
        }
    }

    /** Last: by now the pool has ticked through the kills above. Every tick ran once, on one of the three pods. */
    @Test
    @Order(4)
    void aScheduleOnThreePodsTicksExactlyOncePerTick() {
        Map<Instant, Integer> ticks =
                Await.until("three completed ticks of the every-minute schedule", Duration.ofMinutes(5), () -> {
                    Map<Instant, Integer> counted = ticks();
                    return counted.size() >= 3 ? counted : null;
                });
        Figures.record(node, "ticks of an every-minute schedule on 3 runner pods (runs per tick)", ticks.toString());
        assertThat(ticks.values()).as("runs per tick: %s", ticks).containsOnly(1);
        Iterator<Instant> due = ticks.keySet().iterator();
        for (Instant previous = due.next(), next; due.hasNext(); previous = next) {
            next = due.next();
            assertThat(Duration.between(previous, next))
                    .as("ticks %s and %s: none skipped", previous, next)
                    .isEqualTo(Duration.ofMinutes(1));
        }
    }

    private Map<Instant, Integer> ticks() {
        JsonNode counted = json(Platform.post(platform.serviceUri(POOL, "/v1/invoke/" + uuidOf("failover-ticks")), "{}")
                .body());
        Map<Instant, Integer> ticks = new TreeMap<>();
        counted.properties()
                .forEach(entry -> ticks.put(
                        Instant.parse(entry.getKey()), entry.getValue().asInt()));
        return ticks;
    }

    private JsonNode job(String id) {
        HttpResponse<String> response = Platform.get(platform.serviceUri(POOL, "/v1/jobs/" + id));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET /v1/jobs/" + id + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    private String uuidOf(String script) {
        return Optional.of(
                        node.kubectl("get", "script", script, "-n", Platform.NAMESPACE, "-o", "jsonpath={.status.uuid}")
                                .orFail()
                                .stdout())
                .filter(uuid -> !uuid.isBlank())
                .orElseThrow(() -> new AssertionError("script " + script + " has no uuid yet"));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
