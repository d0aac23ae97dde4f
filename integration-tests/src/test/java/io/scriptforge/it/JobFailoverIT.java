package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.ManagedProcess;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two runner processes on one PostgreSQL, as two replicas of a pool: the runner running a job is
 * killed (SIGKILL, nothing cleaned up), and the other one takes the job's execution over once the
 * killed one's heartbeats stop, counts a second attempt and completes it.
 */
@WithCluster
class JobFailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Beats every 250 ms, dead after four missed (db-scheduler refuses fewer than 4): the takeover happens within seconds. */
    private static final Map<String, String> FAST_HEARTBEATS = Map.of(
            "scriptforge.tasks.heartbeat-interval", "250ms",
            "scriptforge.tasks.missed-heartbeats", "4",
            "scriptforge.tasks.polling-interval", "500ms");

    @Test
    void aJobSurvivesItsRunnerBeingKilled(TestCluster cluster) throws Exception {
        Path dir = Files.createTempDirectory("job-failover");
        Files.copy(
                Path.of(JobFailoverIT.class
                        .getResource("/JobFailoverIT/slow-job.yaml")
                        .toURI()),
                dir.resolve("slow-job.yaml"));
        int[] ports = {ScriptForgeProcesses.freePort(), ScriptForgeProcesses.freePort()};
        List<ManagedProcess> runners = List.of(
                ScriptForgeProcesses.localRunner(cluster, "jobs-replica-1", dir, ports[0], FAST_HEARTBEATS),
                ScriptForgeProcesses.localRunner(cluster, "jobs-replica-2", dir, ports[1], FAST_HEARTBEATS));
        try {
            ScriptForgeProcesses.awaitReady(runners.get(0), ports[0], Duration.ofSeconds(120));
            ScriptForgeProcesses.awaitReady(runners.get(1), ports[1], Duration.ofSeconds(120));
            String uuid = uuidOf(ports[0], "slow-job");

            HttpResponse<String> posted = HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + ports[0] + "/v1/jobs/" + uuid + "?attempts=3"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", ScriptForgeProcesses.CONTROL_AUTHORIZATION)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"order\": 7}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String id = JSON.readTree(posted.body()).path("id").asText();

            // The job's row names the process running its attempt: that one is killed, whichever it is.
            JsonNode active = Await.until("job " + id + " to be active", Duration.ofSeconds(30), () -> {
                JsonNode job = job(ports[0], id);
                return job.path("state").asText().equals("active") ? job : null;
            });
            assertThat(active.path("attempts").asInt()).isEqualTo(1);
            String runnerOf = active.path("runner").asText();
            int victim = runnerOf.contains("/" + runners.get(0).pid() + "@") ? 0 : 1;
            assertThat(runnerOf).contains("/" + runners.get(victim).pid() + "@");
            int survivor = 1 - victim;
            ProcessHandle.of(runners.get(victim).pid()).orElseThrow().destroyForcibly();
            Await.untilTrue(
                    runners.get(victim).name() + " to be dead",
                    Duration.ofSeconds(10),
                    () -> !runners.get(victim).isAlive());

            JsonNode done = Await.until(
                    "job " + id + " to be completed by " + runners.get(survivor).name(), Duration.ofSeconds(45), () -> {
                        JsonNode job = job(ports[survivor], id);
                        assertThat(job.path("state").asText())
                                .as(job.toString())
                                .isNotEqualTo("failed");
                        return job.path("state").asText().equals("completed") ? job : null;
                    });
            assertThat(done.path("attempts").asInt()).as(done.toString()).isEqualTo(2);
            assertThat(done.path("result").path("attempt").asInt()).isEqualTo(2);
            assertThat(done.path("result").path("data").path("order").asInt()).isEqualTo(7);
            assertThat(done.path("runner").asText())
                    .contains("/" + runners.get(survivor).pid() + "@");
        } finally {
            runners.forEach(ManagedProcess::close);
        }
    }

    private static String uuidOf(int port, String name) throws IOException, InterruptedException {
        for (JsonNode script : JSON.readTree(get(port, "/v1/scripts").body())) {
            if (script.path("name").asText().equals(name)) {
                return script.path("uuid").asText();
            }
        }
        throw new AssertionError("the runner on port " + port + " does not serve " + name);
    }

    private static JsonNode job(int port, String id) {
        try {
            HttpResponse<String> response = get(port, "/v1/jobs/" + id);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET /v1/jobs/" + id + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", ScriptForgeProcesses.CONTROL_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
