package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.it.cluster.ManagedProcess;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two runner processes serving the same App on one PostgreSQL, as two replicas of a pool: what one
 * session does reaches the sessions of the other, and a session's dbfiles key works on either.
 */
@WithCluster
class AppReplicasIT {
    private static int first;
    private static int second;
    private static ManagedProcess firstRunner;
    private static ManagedProcess secondRunner;

    @BeforeAll
    static void twoReplicas(TestCluster cluster) throws Exception {
        Path dir = Files.createTempDirectory("app-replicas");
        Files.copy(
                Path.of(AppReplicasIT.class
                        .getResource("/AppReplicasIT/board.yaml")
                        .toURI()),
                dir.resolve("board.yaml"));
        first = ScriptForgeProcesses.freePort();
        second = ScriptForgeProcesses.freePort();
        firstRunner = ScriptForgeProcesses.localRunner(cluster, "replica-1", dir, first);
        secondRunner = ScriptForgeProcesses.localRunner(cluster, "replica-2", dir, second);
        ScriptForgeProcesses.awaitReady(firstRunner, first, Duration.ofSeconds(120));
        ScriptForgeProcesses.awaitReady(secondRunner, second, Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        firstRunner.close();
        secondRunner.close();
    }

    @Test
    void aMonitoredInsertOnOneReplicaReachesASessionOnTheOther() throws Exception {
        try (AppClient watcher = new AppClient(first, "default", "board", "watcher", "replicas");
                AppClient writer = new AppClient(second, "default", "board", "writer", "replicas")) {
            watcher.send("{\"mt\":\"SqlMonitor\",\"name\":\"posts\",\"src\":\"w\"}");
            watcher.next("SqlMonitorResult");
            writer.send("{\"mt\":\"SqlInsert\",\"statement\":\"post\",\"src\":\"p\",\"args\":{\"text\":\"across\"}}");
            long id = writer.next("SqlInsertResult").path("id").asLong();

            JsonNode update = watcher.next("SqlUpdate");
            assertThat(update.path("src").asText()).isEqualTo("w");
            assertThat(update.path("id").asLong()).isEqualTo(id);
            assertThat(update.path("obj").path("text").asText()).isEqualTo("across");
            assertThat(update.path("obj").path("@sip").asText()).isEqualTo("writer");
        }
    }

    @Test
    void aSessionsDbfilesKeyIsAcceptedByTheOtherReplica() throws Exception {
        try (AppClient session = new AppClient(first, "default", "board", "uploader", "replicas")) {
            HttpResponse<String> stored = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second
                                            + "/apps/default/board/?dbfiles=files&folder=1&name=a.txt&key="
                                            + session.dbfilesKey))
                                    .POST(HttpRequest.BodyPublishers.ofString("replicated"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(stored.body()).contains("\"ok\":true");
        }
    }
}
