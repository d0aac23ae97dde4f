package io.scriptforge.runner;

import static io.scriptforge.runner.AppSession.message;
import static io.scriptforge.runner.AppSession.mt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The AppWebsocket protocol of the notes App (src/test/scripts/apps/notes.yaml) against the embedded
 * PostgreSQL: login, prepared statements with their modes, session variables, monitors, config.
 */
@QuarkusTest
class AppWebsocketComponentTest extends RunnerTestBase {
    private static final String PASSWORD = "pwd";

    private AppSession session(String app, String domain, String sip) {
        AppSession session = AppSession.open(base, "default", "notes");
        assertThat(session.login(app, domain, sip, PASSWORD).path("ok").asBoolean())
                .isTrue();
        return session;
    }

    private static String sip() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aWrongDigestIsRefusedAndTheConnectionClosed() throws Exception {
        try (AppSession session = AppSession.open(base, "default", "notes")) {
            JsonNode result = session.login("notes", "example.com", "alice", "not-the-password");
            assertThat(result.path("ok").asBoolean()).isFalse();
            assertThat(result.path("error").asText()).contains("wrong digest");
            assertThat(result.path("src").asText()).isEqualTo("l");
            assertThat(session.awaitClosed()).isPositive();
        }
    }

    @Test
    void aLoginNeedsAChallengeFirst() throws Exception {
        try (AppSession session = AppSession.open(base, "default", "notes")) {
            session.send(message("AppLogin", "x").put("app", "notes").put("digest", "00"));
            assertThat(session.next(mt("AppLoginResult")).path("error").asText())
                    .contains("AppChallenge first");
            assertThat(session.awaitClosed()).isPositive();
        }
    }

    @Test
    void messagesBeforeLoginAreAnsweredWithTheirSrcAndAReason() {
        try (AppSession session = AppSession.open(base, "default", "notes")) {
            session.send(message("SqlExec", "early").put("statement", "list"));
            JsonNode answer = session.next(mt("SqlExecResult", "early"));
            assertThat(answer.path("error").asText()).isEqualTo("log in first: AppChallenge, then AppLogin");
        }
    }

    @Test
    void insertThenExecStreamsRowsInOrderThenOneResult() {
        String sip = sip();
        try (AppSession session = session("notes", "other.org", sip)) {
            session.send(message("SqlInsert", "i1")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "first")));
            long first = session.next(mt("SqlInsertResult", "i1")).path("id").asLong();
            session.send(message("SqlInsert", "i2")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "second")));
            long second = session.next(mt("SqlInsertResult", "i2")).path("id").asLong();
            assertThat(second).isGreaterThan(first);

            session.send(message("SqlExec", "e").put("statement", "list"));
            List<JsonNode> answers = session.until(mt("SqlExecResult", "e"));
            assertThat(answers).hasSize(3);
            assertThat(answers.get(0).path("mt").asText()).isEqualTo("SqlRow");
            assertThat(answers.get(0).path("statement").asText()).isEqualTo("list");
            assertThat(answers.get(0).path("id").asLong()).isEqualTo(first);
            assertThat(answers.get(0).path("text").asText()).isEqualTo("first");
            assertThat(answers.get(1).path("text").asText()).isEqualTo("second");
            assertThat(answers.get(0).has("sip"))
                    .as("the fallback statement selects no sip column")
                    .isFalse();
        }
    }

    @Test
    void sessionVariablesCannotBeForgedByTheClient() {
        String alice = sip();
        try (AppSession session = session("notes", "other.org", alice)) {
            session.send(message("SqlInsert", "i")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "mine").put("@sip", "mallory")));
            session.next(mt("SqlInsertResult", "i"));
        }
        try (AppSession admin = session("notes~admin", "example.com", sip())) {
            admin.send(message("SqlExec", "all").put("statement", "list"));
            List<JsonNode> rows = admin.until(mt("SqlExecResult", "all"));
            assertThat(rows)
                    .filteredOn(r -> "mine".equals(r.path("text").asText()))
                    .singleElement()
                    .satisfies(row -> assertThat(row.path("sip").asText()).isEqualTo(alice));
        }
    }

    @Test
    void aMatchingModeWinsOverTheFallbackAndAMissingModeIsRefused() {
        String bob = sip();
        try (AppSession user = session("notes", "other.org", bob)) {
            user.send(message("SqlInsert", "i")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "bob's")));
            user.next(mt("SqlInsertResult", "i"));
            user.send(message("SqlExec", "purge")
                    .put("statement", "purge")
                    .set("args", AppSession.object().put("sip", bob)));
            JsonNode refused = user.next(mt("SqlExecResult", "purge"));
            assertThat(refused.path("error").asText()).contains("owner.admin");
        }
        try (AppSession owner = session("notes", "example.com", sip())) {
            owner.send(message("SqlExec", "mine").put("statement", "list"));
            assertThat(owner.until(mt("SqlExecResult", "mine")))
                    .as("owner without admin: the fallback, only its own notes")
                    .hasSize(1);
        }
        try (AppSession admin = session("notes~admin", "example.com", sip())) {
            admin.send(message("SqlExec", "all").put("statement", "list"));
            List<JsonNode> rows = admin.until(mt("SqlExecResult", "all"));
            assertThat(rows).anySatisfy(r -> assertThat(r.path("sip").asText()).isEqualTo(bob));
            admin.send(message("SqlExec", "purge")
                    .put("statement", "purge")
                    .set("args", AppSession.object().put("sip", bob)));
            assertThat(admin.next(mt("SqlExecResult", "purge")).path("error").asText())
                    .isEmpty();
        }
    }

    @Test
    void monitoredStatementsNotifyEveryMonitoringSession() {
        try (AppSession watcher = session("notes", "other.org", sip());
                AppSession writer = session("notes", "other.org", sip())) {
            watcher.send(message("SqlMonitor", "m").put("name", "notes"));
            watcher.next(mt("SqlMonitorResult", "m"));
            writer.send(message("SqlInsert", "w")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "watched")));
            long id = writer.next(mt("SqlInsertResult", "w")).path("id").asLong();
            JsonNode update = watcher.next(
                    m -> mt("SqlUpdate", "m").test(m) && m.path("id").asLong() == id);
            assertThat(update.path("statement").asText()).isEqualTo("add");
            assertThat(update.path("obj").path("text").asText()).isEqualTo("watched");
        }
    }

    @Test
    void largeResultsStreamEveryRowThenOneResult() {
        try (AppSession session = session("notes", "example.com", sip())) {
            session.send(message("SqlExec", "max")
                    .put("statement", "numbers")
                    .set("args", AppSession.object().put("after", 0)));
            long before = session.until(mt("SqlExecResult", "max")).size() - 1;
            session.send(message("SqlExec", "fill")
                    .put("statement", "fill")
                    .set("args", AppSession.object().put("count", 5000)));
            assertThat(session.next(mt("SqlExecResult", "fill")).path("error").asText())
                    .isEmpty();
            session.send(message("SqlExec", "all")
                    .put("statement", "numbers")
                    .set("args", AppSession.object().put("after", 0)));
            List<JsonNode> answers = session.until(mt("SqlExecResult", "all"));
            assertThat(answers).hasSize((int) before + 5000 + 1);
            JsonNode last = answers.get(answers.size() - 2);
            assertThat(last.path("n").asLong()).isEqualTo(5000);
            assertThat(last.path("even").asBoolean()).isTrue();
        }
    }

    @Test
    void badArgumentsAndUnknownStatementsAreErrorsThatKeepTheSession() {
        try (AppSession session = session("notes", "example.com", sip())) {
            session.send(message("SqlExec", "bad")
                    .put("statement", "numbers")
                    .set("args", AppSession.object().put("after", -1)));
            assertThat(session.next(mt("SqlExecResult", "bad")).path("error").asText())
                    .contains("after");
            session.send("{not json");
            session.send(message("SqlExec", "nope").put("statement", "nope"));
            assertThat(session.next(mt("SqlExecResult", "nope")).path("error").asText())
                    .contains("nope");
            session.send(message("Frobnicate", "f"));
            assertThat(session.next(mt("FrobnicateResult", "f")).path("error").asText())
                    .contains("unknown message type");
            session.send(message("SqlInsert", "still")
                    .put("statement", "add")
                    .set("args", AppSession.object().put("text", "alive")));
            JsonNode still = session.next(mt("SqlInsertResult", "still"));
            assertThat(still.path("error").asText()).isEmpty();
            assertThat(still.path("id").isIntegralNumber())
                    .as("id in %s", still)
                    .isTrue();
        }
    }

    @Test
    void aClientThatSendsWithoutWaitingIsToldToWaitRatherThanQueuedWithoutBound() {
        try (AppSession session = session("notes", "example.com", sip())) {
            session.send(message("SqlExec", "fill")
                    .put("statement", "fill")
                    .set("args", AppSession.object().put("count", 5000)));
            session.next(mt("SqlExecResult", "fill"));
            for (int i = 0; i < 1500; i++) {
                session.send(message("SqlExec", "n" + i)
                        .put("statement", "numbers")
                        .set("args", AppSession.object().put("after", 0)));
            }
            JsonNode refused = session.next(m -> m.path("error").asText().contains("requests are waiting"));
            assertThat(refused.path("error").asText()).contains("wait for answers before sending more");
        }
    }

    @Test
    void configIsReadAndWrittenUnderItsModesAndChangesArePushed() throws Exception {
        try (AppSession reader = session("notes", "example.com", sip());
                AppSession admin = session("notes~admin", "example.com", sip());
                AppSession stranger = session("notes", "other.org", sip())) {
            reader.send(message("ReadConfig", "r").put("api", "Config"));
            JsonNode items = reader.next(mt("ReadConfigResult", "r")).path("ConfigItems");
            assertThat(items.path("level").path("type").asText()).isEqualTo("INT");
            assertThat(items.path("apikey").path("password").asBoolean()).isTrue();
            assertThat(items.path("apikey").has("value"))
                    .as("a password is never sent")
                    .isFalse();
            assertThat(items.path("apikey").has("default")).isFalse();

            stranger.send(message("ReadConfig", "s").put("api", "Config"));
            assertThat(stranger.next(mt("ReadConfigResult", "s")).has("error")).isTrue();
            reader.send(message("WriteConfig", "w")
                    .put("api", "Config")
                    .set("ConfigItems", AppSession.object().put("level", 7)));
            assertThat(reader.next(mt("WriteConfigResult", "w")).path("error").asText())
                    .isNotEmpty();

            admin.send(message("WriteConfig", "range")
                    .put("api", "Config")
                    .set("ConfigItems", AppSession.object().put("level", 11)));
            assertThat(admin.next(mt("WriteConfigResult", "range"))
                            .path("error")
                            .asText())
                    .contains("level")
                    .contains("range");
            admin.send(message("WriteConfig", "choice")
                    .put("api", "Config")
                    .set("ConfigItems", AppSession.object().put("color", "blue")));
            assertThat(admin.next(mt("WriteConfigResult", "choice"))
                            .path("error")
                            .asText())
                    .contains("blue");

            int level = 2 + (int) (System.nanoTime() % 7);
            admin.send(message("WriteConfig", "ok")
                    .put("api", "Config")
                    .set("ConfigItems", AppSession.object().put("level", level).put("color", "green")));
            assertThat(admin.next(mt("WriteConfigResult", "ok")).path("error").asText())
                    .isEmpty();
            JsonNode update = reader.next(m -> mt("ConfigUpdate").test(m)
                    && m.path("ConfigItems").path("level").path("value").asInt() == level);
            assertThat(update.path("ConfigItems").path("color").path("value").asText())
                    .isEqualTo("green");
            assertThat(stranger.poll(Duration.ofMillis(300)))
                    .as("a session that may not read is not told")
                    .isNull();
        }
    }

    @Test
    void otherMessagesGoToTheServicesJsonApi() {
        String sip = sip();
        try (AppSession session = session("notes", "example.com", sip)) {
            session.send(message("Echo", "e").put("api", "notes").put("text", "hi"));
            JsonNode echo = session.next(mt("EchoResult", "e"));
            assertThat(echo.path("text").asText()).isEqualTo("hi");
            assertThat(echo.path("sip").asText()).isEqualTo(sip);
        }
    }
}
