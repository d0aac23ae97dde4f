package io.scriptforge.runner;

import static io.scriptforge.runner.AppSession.message;
import static io.scriptforge.runner.AppSession.mt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner that came up before its database (a node's pods start in any order): its App waits, saying why, and is
 * served as soon as PostgreSQL answers, with nothing restarted; the Scripts' kv and jobs work then too.
 */
class AppDatabaseRecoveryIT {
    static final Path NOTES = Path.of("src/test/scripts/apps/notes.yaml");
    private static final String COUNTER = "0c4f2a7e-5d1b-4c3a-8e9f-7a6b5c4d3e2f";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAppWhoseDatabaseWasDownAtStartIsServedOnceItAnswers(@TempDir Path dir) throws Exception {
        Files.copy(NOTES, dir.resolve("notes.yaml"));
        Files.writeString(
                dir.resolve("counter.yaml"),
                RunnerClient.yaml(
                        "counter", "script", "function main() { return kv.incr('visits'); }", "uuid: " + COUNTER));
        int databasePort = RunnerProcess.freePort();
        try (RunnerProcess runner = RunnerProcess.start(
                "database-recovery",
                Map.of(
                        "scriptforge.dir",
                        dir.toString(),
                        "scriptforge.database.url",
                        "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres?user=postgres"))) {
            runner.awaitReady(Duration.ofSeconds(120));

            HttpResponse<String> waiting = get(runner, "/apps/default/notes/");
            assertThat(waiting.statusCode()).isEqualTo(503);
            assertThat(RunnerClient.json(waiting).path("error").path("message").asText())
                    .startsWith("App default/notes is not served: DatabaseUnavailable: ")
                    .contains("127.0.0.1:" + databasePort);
            HttpResponse<String> countedWhileDown = post(runner, "/v1/invoke/" + COUNTER);
            assertThat(countedWhileDown.statusCode()).isEqualTo(500);
            assertThat(countedWhileDown.body()).contains("kv.incr failed");

            try (EmbeddedPostgres database =
                    EmbeddedPostgres.builder().setPort(databasePort).start()) {
                long up = System.nanoTime();
                while (get(runner, "/apps/default/notes/").statusCode() != 200) {
                    assertThat(Duration.ofNanos(System.nanoTime() - up))
                            .as("served once the database answers")
                            .isLessThan(Duration.ofSeconds(20));
                    RunnerClient.sleep(100);
                }
                try (AppSession session = AppSession.open(runner.uri("/").toURL(), "default", "notes")) {
                    assertThat(session.login("notes", "example.com", "alice", "pwd")
                                    .path("ok")
                                    .asBoolean())
                            .isTrue();
                    session.send(message("SqlInsert", "i")
                            .put("statement", "add")
                            .set("args", AppSession.object().put("text", "after the outage")));
                    session.next(mt("SqlInsertResult", "i"));
                    session.send(message("SqlExec", "e").put("statement", "list"));
                    List<JsonNode> rows = session.until(mt("SqlExecResult", "e"));
                    assertThat(rows)
                            .extracting(row -> row.path("text").asText())
                            .startsWith("after the outage");
                }
                JsonNode notes = StreamSupport.stream(
                                RunnerClient.json(get(runner, "/v1/apps")).spliterator(), false)
                        .filter(app -> app.path("name").asText().equals("notes"))
                        .findFirst()
                        .orElseThrow();
                assertThat(notes.path("ready").asBoolean()).isTrue();
                assertThat(notes.path("problem").isNull()).isTrue();

                assertThat(post(runner, "/v1/invoke/" + COUNTER).body()).isEqualTo("1");
                String job = "/v1/jobs/"
                        + RunnerClient.json(post(runner, "/v1/jobs/" + COUNTER))
                                .path("id")
                                .asText();
                long enqueued = System.nanoTime();
                JsonNode done;
                while (!(done = RunnerClient.json(get(runner, job)))
                        .path("state")
                        .asText()
                        .equals("completed")) {
                    assertThat(Duration.ofNanos(System.nanoTime() - enqueued))
                            .as("the job completes: " + done)
                            .isLessThan(Duration.ofSeconds(15));
                    RunnerClient.sleep(100);
                }
                assertThat(done.path("result").asInt()).isEqualTo(2);
            }
        }
    }

    private static HttpResponse<String> get(RunnerProcess runner, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(runner.uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", RunnerClient.CONTROL_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(RunnerProcess runner, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(runner.uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", RunnerClient.CONTROL_AUTHORIZATION)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
