package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Local mode follows its directory: add, change, delete within a second; broken input reported, never fatal. */
@QuarkusTest
class LocalModeComponentTest extends RunnerTestBase {
    private static final long HOT_RELOAD_MILLIS = 1000;

    @Test
    void addingChangingAndDeletingAFileTakesEffectWithinASecond() {
        String uuid = "22222222-3333-4444-8555-666666666666";
        long added = System.nanoTime();
        runner.write(
                "hot.yaml", RunnerClient.yaml("hot", "script", "function main() { return 'v1'; }", "uuid: " + uuid));
        awaitWithin(added, () -> runner.postJson(uuid, "{}").body().equals("v1"));

        long changed = System.nanoTime();
        runner.write(
                "hot.yaml", RunnerClient.yaml("hot", "script", "function main() { return 'v2'; }", "uuid: " + uuid));
        awaitWithin(changed, () -> runner.postJson(uuid, "{}").body().equals("v2"));

        long deleted = System.nanoTime();
        runner.delete("hot.yaml");
        awaitWithin(deleted, () -> runner.postJson(uuid, "{}").statusCode() == 404);
    }

    @Test
    void aScriptBeingReloadedNeverAnswers404() throws Exception {
        String uuid = "33333333-4444-4555-8666-777777777777";
        runner.write(
                "reloaded.yaml",
                RunnerClient.yaml("reloaded", "script", "function main() { return 'v0'; }", "uuid: " + uuid));
        long start = System.nanoTime();
        awaitWithin(start, () -> runner.postJson(uuid, "{}").statusCode() == 200);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread caller = new Thread(() -> {
            while (writing.get()) {
                statuses.add(runner.postJson(uuid, "{}").statusCode());
            }
        });
        caller.start();
        for (int version = 1; version <= 10; version++) {
            runner.write(
                    "reloaded.yaml",
                    RunnerClient.yaml(
                            "reloaded", "script", "function main() { return 'v" + version + "'; }", "uuid: " + uuid));
            RunnerClient.sleep(100);
        }
        writing.set(false);
        caller.join();
        assertThat(statuses).isNotEmpty().containsOnly(200);
    }

    @Test
    void severalDocumentsPerFileAreLoaded() {
        runner.write(
                "multi.yaml",
                RunnerClient.yaml("multi-a", "script", "function main() { return 'a'; }") + "---\n"
                        + RunnerClient.yaml("multi-b", "script", "function main() { return 'b'; }"));
        String b = io.scriptforge.crd.ScriptIdentity.nameBasedUuid("tests", "multi-b")
                .toString();
        long start = System.nanoTime();
        awaitWithin(start, () -> runner.postJson(b, "{}").body().equals("b"));
        assertThat(runner.listedByName("tests", "multi-a")).isNotNull();
    }

    @Test
    void aSyntaxErrorIsReportedWithLineAndColumnAndTheOthersStillLoad() {
        JsonNode broken = runner.listedByName("fixtures", "broken");
        assertThat(broken).isNotNull();
        assertThat(broken.path("loadError").asText())
                .contains("fixtures/broken.js:3:")
                .contains("syntax error");
        assertThat(broken.path("source").asText())
                .as("the line of the document's apiVersion")
                .isEqualTo("fixtures.yaml:13");
        assertThat(runner.postJson(broken.path("uuid").asText(), "{}").statusCode())
                .isEqualTo(503);
        JsonNode after = runner.listedByName("fixtures", "after-broken");
        assertThat(runner.postJson(after.path("uuid").asText(), "{}").body()).isEqualTo("still loaded");
        assertThat(runner.postJson("11111111-2222-4333-8444-555555555555", "{}").body())
                .isEqualTo("Hello, World");
    }

    @Test
    void aFileThatIsNotYamlDoesNotStopTheOthers() {
        assertThat(runner.listedByName("fixtures", "bad-yaml")).isNull();
        assertThat(runner.listedByName("fixtures", "greeter")).isNotNull();
    }

    @Test
    void aBadFieldIsRefusedWithItsPath() {
        runner.write(
                "bad-field.yaml",
                RunnerClient.yaml("bad-timeout", "script", "function main() { return 1; }", "timeout: soon"));
        long start = System.nanoTime();
        awaitWithin(start, () -> {
            JsonNode listed = runner.listedByName("tests", "bad-timeout");
            return listed != null && listed.path("loadError").asText().contains("spec.timeout");
        });
    }

    private static void awaitWithin(long startNanos, Supplier<Boolean> condition) {
        while (true) {
            if (condition.get()) {
                long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
                assertThat(elapsed).as("took effect after %d ms", elapsed).isLessThanOrEqualTo(HOT_RELOAD_MILLIS);
                return;
            }
            if ((System.nanoTime() - startNanos) / 1_000_000 > 5 * HOT_RELOAD_MILLIS) {
                throw new AssertionError("the change never took effect");
            }
            RunnerClient.sleep(20);
        }
    }
}
