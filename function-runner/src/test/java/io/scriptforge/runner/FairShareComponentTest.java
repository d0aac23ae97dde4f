package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.runner.invoke.Invoker;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No tenant starves the others: one Script's runaway invocations hold at most its share of the JavaScript threads
 * (half of them: one per core), so another tenant's invocations keep being served while the runaways run to their timeout.
 */
@QuarkusTest
class FairShareComponentTest extends RunnerTestBase {
    @Inject
    Invoker invoker;

    @Test
    void runawaysOfOneScriptLeaveTheOtherTenantsThreadsOfTheirOwn() throws Exception {
        String runaway =
                runner.deployIn("fair-hostile", "spin", "script", "function main() { while (true) {} }", "timeout: 6s");
        String other = runner.deployIn(
                "fair-others", "answer", "script", "function main(d) { return 'served ' + d.n; }", "timeout: 2s");
        int threads = invoker.threads();
        // the other tenant's Script is in use already: its 40 contexts exist, so what is measured below is the share
        // of threads it gets, not the building of contexts
        CompletableFuture.allOf(postConcurrently(other, 40).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);

        List<CompletableFuture<HttpResponse<String>>> runaways = new ArrayList<>();
        for (int i = 0; i < 2 * threads; i++) {
            runaways.add(runner.postAsync(runaway, "{}"));
        }
        Thread.sleep(500); // the runaways hold what they may of the threads now
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> others = postConcurrently(other, 40);
        for (int i = 0; i < others.size(); i++) {
            HttpResponse<String> answer = others.get(i).get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode())
                    .as("another tenant's invocation %d: %s", i, answer.body())
                    .isEqualTo(200);
            assertThat(answer.body()).isEqualTo("served " + i);
        }
        assertThat((System.nanoTime() - started) / 1_000_000)
                .as("ms for the 40, each with a 2 s timeout")
                .isLessThan(2000);

        for (CompletableFuture<HttpResponse<String>> answer : runaways) {
            assertThat(answer.get(20, TimeUnit.SECONDS).statusCode())
                    .as("a runaway, at its timeout")
                    .isEqualTo(504);
        }
    }

    private List<CompletableFuture<HttpResponse<String>>> postConcurrently(String uuid, int count) {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(runner.postAsync(uuid, "{\"n\": " + i + "}"));
        }
        return answers;
    }
}
