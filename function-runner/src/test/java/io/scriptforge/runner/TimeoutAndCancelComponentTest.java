package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Invocations end at their timeout with the timeout action, and can be listed and cancelled. */
@QuarkusTest
class TimeoutAndCancelComponentTest extends RunnerTestBase {
    @Test
    void timedOutScriptAnswersItsTimeoutActionWithinTimeoutPlus100ms() {
        String uuid = runner.deploy(
                "timeout-action",
                "app",
                "async function main() { await new Promise((r) => setTimeout(r, 5000)); return 'late'; }",
                "timeout: 500ms",
                "timeoutAction: \"503 Service Unavailable\"");
        runner.postJson(uuid, "{}"); // the first call also builds the context: measure the next ones
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = runner.postJson(uuid, "{}");
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("X-ScriptForge-Status")).hasValue("503 Service Unavailable");
            assertThat(RunnerClient.json(response).path("error").path("reason").asText())
                    .isEqualTo("Service Unavailable");
            assertThat(elapsed).isBetween(480L, 600L);
        }
    }

    @Test
    void theDefaultTimeoutActionIs504GatewayTimeout() {
        String uuid =
                runner.deploy("timeout-default", "script", "function main() { while (true) {} }", "timeout: 200ms");
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("X-ScriptForge-Status")).hasValue("504 Gateway Timeout");
    }

    @Test
    void runningInvocationsAreListedAndACancelledOneAnswers487() {
        String uuid = runner.deploy(
                "cancel-me",
                "app",
                "async function main() { await new Promise((r) => setTimeout(r, 10000)); return 'done'; }",
                "timeout: 20s");
        var pending = runner.postAsync(uuid, "{}", "X-Invocation-Id", "to-cancel-1");
        JsonNode listed = awaitRunning("to-cancel-1");
        assertThat(listed.path("uuid").asText()).isEqualTo(uuid);
        assertThat(listed.path("name").asText()).isEqualTo("cancel-me");
        assertThat(listed.path("state").asText()).isIn("running", "waiting");
        HttpResponse<String> cancel = runner.httpDelete("/v1/invocations/to-cancel-1");
        assertThat(cancel.statusCode()).isEqualTo(202);
        HttpResponse<String> answer = pending.join();
        assertThat(answer.statusCode()).isEqualTo(487);
        assertThat(answer.headers().firstValue("X-ScriptForge-Status")).hasValue("487 Request Terminated");
        assertThat(runner.httpDelete("/v1/invocations/to-cancel-1").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aBusyLoopCanBeCancelledToo() {
        String uuid = runner.deploy("cancel-loop", "script", "function main() { while (true) {} }", "timeout: 20s");
        var pending = runner.postAsync(uuid, "{}", "X-Invocation-Id", "to-cancel-2");
        awaitRunning("to-cancel-2");
        long start = System.nanoTime();
        runner.httpDelete("/v1/invocations/to-cancel-2");
        assertThat(pending.join().statusCode()).isEqualTo(487);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }

    @Test
    void aClientChosenIdStillRunningIsRefused() {
        String uuid = runner.deploy(
                "dup-id",
                "app",
                "async function main() { await new Promise((r) => setTimeout(r, 2000)); }",
                "timeout: 5s");
        var first = runner.postAsync(uuid, "{}", "X-Invocation-Id", "same-id");
        awaitRunning("same-id");
        assertThat(runner.post(uuid, "application/json", "{}", "X-Invocation-Id", "same-id")
                        .statusCode())
                .isEqualTo(409);
        runner.httpDelete("/v1/invocations/same-id");
        first.join();
    }

    private JsonNode awaitRunning(String id) {
        for (int i = 0; i < 200; i++) {
            for (JsonNode invocation : RunnerClient.json(runner.get("/v1/invocations"))) {
                if (invocation.path("id").asText().equals(id)) {
                    return invocation;
                }
            }
            RunnerClient.sleep(10);
        }
        throw new AssertionError("invocation " + id + " never showed in GET /v1/invocations");
    }
}
