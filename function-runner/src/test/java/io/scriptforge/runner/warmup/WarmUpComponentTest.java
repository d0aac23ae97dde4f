package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scriptforge.runner.RunnerClient;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The warm-up, in a runner of its own that has it on (the other tests' runners have it off): readiness
 * waits for it, it leaves nothing a Script or a client can see, and its built-in Script serves nobody else.
 */
@QuarkusTest
@TestProfile(WarmUpComponentTest.WarmUpOn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmUpComponentTest {
    public static class WarmUpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A cap long enough for a busy machine to reach every Script; a quiet one settles within seconds.
            return Map.of("%test.scriptforge.warmup.enabled", "true", "%test.scriptforge.warmup.max-duration", "30s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WarmUpTestScripts.class));
        }
    }

    /** The warm-up's cap, and room for the app's start. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL base;

    @Inject
    WarmUpGate gate;

    RunnerClient runner;

    @BeforeEach
    void connect() {
        runner = new RunnerClient(base);
    }

    /** First: the app has just started, so the warm-up is still under way. */
    @Test
    @Order(1)
    void readinessIsDownUntilTheWarmUpHasEndedWhileTheRunnerIsAlive() {
        List<String> statesWhileNotReady = new ArrayList<>();
        long until = System.nanoTime() + READY_WITHIN.toNanos();
        HttpResponse<String> ready = runner.get("/q/health/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < until) {
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode warmUp = check(ready, "warm-up");
            assertThat(warmUp.path("status").asText()).isEqualTo("DOWN");
            statesWhileNotReady.add(warmUp.path("data").path("state").asText());
            assertThat(check(ready, "scripts-loaded").path("status").asText()).isEqualTo("UP");
            assertThat(runner.get("/q/health/live").statusCode()).isEqualTo(200);
            assertThat(runner.postJson(gate.builtIn().uuid(), "{}").statusCode())
                    .as("the built-in Script, to a client")
                    .isEqualTo(404);
            assertThat(RunnerClient.json(runner.get("/v1/invocations")))
                    .as("warm-up invocations are not listed")
                    .isEmpty();
            RunnerClient.sleep(100);
            ready = runner.get("/q/health/ready");
        }

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(statesWhileNotReady).isNotEmpty().allMatch(s -> s.equals("waiting") || s.equals("running"));
        JsonNode done = check(ready, "warm-up").path("data");
        assertThat(done.path("state").asText()).isEqualTo("done");
        assertThat(done.path("invocations").asLong()).isPositive();
        assertThat(done.path("poolScripts").asInt())
                .as("effects, enqueuer, logger, kv-keys, job-target and esm")
                .isEqualTo(6);
        assertThat(done.path("skipped").asInt()).as("the worker and the app").isEqualTo(2);
        assertThat(done.path("failed").asLong())
                .as("effects and enqueuer fail at their refused kv and jobs calls")
                .isPositive();
    }

    @Test
    @Order(2)
    void theWarmUpLeftNoConsoleLinesKvEntriesJobsOrWorkerState() {
        awaitReady();
        assertThat(logLines("effects")).isEmpty();
        assertThat(logLines("logger")).isEmpty();
        assertThat(runner.postJson(WarmUpTestScripts.uuid("kv-keys"), "{}").body())
                .isEqualTo("[]");
        assertThat(RunnerClient.json(runner.get("/v1/jobs?uuid=" + WarmUpTestScripts.uuid("job-target"))))
                .isEmpty();
        assertThat(runner.postJson(WarmUpTestScripts.uuid("counter"), "{}").body())
                .isEqualTo("{\"runs\":1}");

        // The same checks see what a client's own invocations leave.
        assertThat(runner.postJson(WarmUpTestScripts.uuid("effects"), "{}").statusCode())
                .isEqualTo(200);
        assertThat(runner.postJson(WarmUpTestScripts.uuid("logger"), "{}").body())
                .isEqualTo("logged");
        assertThat(logLines("effects")).containsExactly("effects ran for a request");
        assertThat(logLines("logger")).containsExactly("hello from the vars");
        assertThat(runner.postJson(WarmUpTestScripts.uuid("kv-keys"), "{}").body())
                .isEqualTo("[\"effects-runs\"]");
        assertThat(RunnerClient.json(runner.get("/v1/jobs?uuid=" + WarmUpTestScripts.uuid("job-target"))))
                .hasSize(1);
    }

    @Test
    @Order(3)
    void theBuiltInScriptIsNeitherListedNorServedToAClientEvenWithAForgedWarmUpHeader() {
        awaitReady();
        String builtIn = gate.builtIn().uuid();
        JsonNode listed = RunnerClient.json(runner.get("/v1/scripts"));
        assertThat(listed).hasSize(8).allMatch(s -> s.path("namespace").asText().equals(WarmUpTestScripts.NAMESPACE));
        assertThat(runner.postJson(builtIn, "{}").statusCode()).isEqualTo(404);
        assertThat(runner.post(builtIn, "application/json", "{}", WarmUpGate.HEADER, "0".repeat(64))
                        .statusCode())
                .isEqualTo(404);
        assertThat(runner.get("/v1/scripts/" + builtIn + "/logs").statusCode()).isEqualTo(404);

        // A forged header makes an ordinary request, whose effects are kept: no client can ask for a dry run.
        HttpResponse<String> forged = runner.post(
                WarmUpTestScripts.uuid("logger"),
                "application/json",
                "{\"who\": \"a forger\"}",
                WarmUpGate.HEADER,
                "0".repeat(64));
        assertThat(forged.body()).isEqualTo("logged");
        assertThat(logLines("logger")).contains("hello from a forger");
    }

    private List<String> logLines(String name) {
        JsonNode lines = RunnerClient.json(runner.get("/v1/scripts/" + WarmUpTestScripts.uuid(name) + "/logs"))
                .path("lines");
        List<String> messages = new ArrayList<>();
        lines.forEach(line -> messages.add(line.path("message").asText()));
        return messages;
    }

    private void awaitReady() {
        long until = System.nanoTime() + READY_WITHIN.toNanos();
        while (runner.get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready within " + READY_WITHIN).isLessThan(until);
            RunnerClient.sleep(100);
        }
    }

    private static JsonNode check(HttpResponse<String> health, String name) {
        for (JsonNode check : RunnerClient.json(health).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health.body());
    }
}
