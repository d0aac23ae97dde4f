package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.crd.ScriptIdentity;
import io.scriptforge.runner.db.TestDatabase;
import io.scriptforge.runner.jobs.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Background jobs over HTTP and from scripts, run by the runner's db-scheduler on its embedded PostgreSQL. */
@QuarkusTest
class JobsComponentTest extends RunnerTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void anEnqueuedJobRunsWithItsDataAndKeepsItsResult() {
        String uuid = runner.deploy("job-echo", "script", """
                function main(data, ctx) { return { doubled: data.n * 2, trigger: ctx.trigger }; }""");
        HttpResponse<String> posted = post("/v1/jobs/" + uuid, "{\"n\": 21}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        JsonNode answer = RunnerClient.json(posted);
        String id = answer.path("id").asText();
        assertThat(answer.path("state").asText()).isIn("waiting", "active", "completed");
        assertThat(posted.headers().firstValue("Location"))
                .hasValue(answer.path("url").asText());
        assertThat(answer.path("url").asText()).endsWith("/v1/jobs/" + id);

        JsonNode job = awaitJob(id, j -> j.path("state").asText().equals("completed"));
        assertThat(job.path("result").path("doubled").asInt()).isEqualTo(42);
        assertThat(job.path("result").path("trigger").toString())
                .isEqualTo("{\"type\":\"job\",\"jobId\":\"" + id + "\",\"attempt\":1}");
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        assertThat(job.path("maxAttempts").asInt()).isEqualTo(1);
        assertThat(job.path("uuid").asText()).isEqualTo(uuid);
        assertThat(job.path("name").asText()).isEqualTo("job-echo");
        assertThat(job.path("namespace").asText()).isEqualTo("tests");
        assertThat(job.has("error")).isFalse();
        assertThat(Instant.parse(job.path("finishedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(job.path("startedAt").asText()));
    }

    @Test
    void aFailingScriptIsRetriedUpToItsAttemptsThenFailsWithItsErrorKept() {
        String failing = runner.deploy("job-failing", "script", """
                function main(data, ctx) { throw new Error('broken on attempt ' + ctx.trigger.attempt); }""");
        String id = RunnerClient.json(post("/v1/jobs/" + failing + "?attempts=3&backoff=0", "{}"))
                .path("id")
                .asText();
        JsonNode failed = awaitJob(id, j -> j.path("state").asText().equals("failed"));
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.path("error").path("code").asInt()).isEqualTo(500);
        assertThat(failed.path("error").path("message").asText()).contains("broken on attempt 3");
        assertThat(failed.path("error").path("at").asText()).contains("job-failing");
        assertThat(failed.path("result").isMissingNode()).isTrue();

        String flaky = runner.deploy("job-flaky", "script", """
                function main(data, ctx) { if (ctx.trigger.attempt < 2) throw [503, 'Try Again']; return 'ok on ' + ctx.trigger.attempt; }""");
        String second = RunnerClient.json(post("/v1/jobs/" + flaky, "{}", "X-Job-Attempts", "2", "X-Job-Backoff", "0"))
                .path("id")
                .asText();
        JsonNode completed = awaitJob(second, j -> j.path("state").asText().equals("completed"));
        assertThat(completed.path("result").asText()).isEqualTo("ok on 2");
        assertThat(completed.path("attempts").asInt()).isEqualTo(2);
        assertThat(completed.path("error").path("reason").asText())
                .as("the failed attempt's error stays visible")
                .isEqualTo("Try Again");
    }

    @Test
    void aDelayedJobWaitsItsDelayThenRuns() {
        String uuid = runner.deploy("job-delayed", "script", "function main() { return Date.now(); }");
        long before = System.currentTimeMillis();
        String id = RunnerClient.json(post("/v1/jobs/" + uuid + "?delay=1500", ""))
                .path("id")
                .asText();
        JsonNode delayed = job(id);
        assertThat(delayed.path("state").asText()).isEqualTo("delayed");
        assertThat(Instant.parse(delayed.path("runAfter").asText()))
                .isAfter(Instant.parse(delayed.path("createdAt").asText()).plusMillis(1400));
        JsonNode done = awaitJob(id, j -> j.path("state").asText().equals("completed"));
        assertThat(done.path("result").asLong()).isGreaterThanOrEqualTo(before + 1500);
    }

    @Test
    void cancellingADelayedJobKeepsItFromEverRunning() {
        String uuid = runner.deploy("job-never", "script", "function main() { return 'ran'; }");
        String id = RunnerClient.json(post("/v1/jobs/" + uuid + "?delay=700", ""))
                .path("id")
                .asText();
        HttpResponse<String> cancelled = runner.httpDelete("/v1/jobs/" + id);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(RunnerClient.json(cancelled).path("state").asText()).isEqualTo("cancelled");
        RunnerClient.sleep(1800); // past its time, and a poll of the scheduler
        JsonNode job = job(id);
        assertThat(job.path("state").asText()).isEqualTo("cancelled");
        assertThat(job.path("attempts").asInt()).isZero();

        HttpResponse<String> again = runner.httpDelete("/v1/jobs/" + id);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("cancelled already");
    }

    @Test
    void cancellingAnActiveJobStopsItsInvocationAndDropsItsResult() {
        String uuid = runner.deploy("job-slow", "app", """
                async function main(data) {
                  await new Promise((resolve) => setTimeout(resolve, 20000));
                  return 'finished';
                }""");
        String id = RunnerClient.json(post("/v1/jobs/" + uuid, "{}")).path("id").asText();
        awaitJob(id, j -> j.path("state").asText().equals("active"));
        assertThat(runner.get("/v1/invocations").body()).contains("job-" + id + "-1");
        HttpResponse<String> cancelled = runner.httpDelete("/v1/jobs/" + id);
        assertThat(RunnerClient.json(cancelled).path("state").asText()).isEqualTo("cancelled");
        awaitInvocationGone("job-" + id + "-1");
        assertThat(job(id).path("state").asText()).isEqualTo("cancelled");
        assertThat(job(id).has("result")).isFalse();
    }

    @Test
    void aJobCancelledByAnotherReplicaIsStoppedByTheOneRunningIt() throws Exception {
        String uuid = runner.deploy("job-slow-elsewhere", "app", """
                async function main() { await new Promise((resolve) => setTimeout(resolve, 20000)); return 'finished'; }""");
        String id = RunnerClient.json(post("/v1/jobs/" + uuid, "{}")).path("id").asText();
        awaitJob(id, j -> j.path("state").asText().equals("active"));
        // What DELETE does on a replica that does not run the job: only the row changes.
        new JobStore(TestDatabase.shared()).cancel(UUID.fromString(id));
        awaitInvocationGone("job-" + id + "-1");
        assertThat(job(id).path("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void progressIsVisibleWhileTheJobRuns() {
        String uuid = runner.deploy("job-progress", "app", """
                async function main() {
                  jobs.progress({ step: 'halfway', percent: 50 });
                  await new Promise((resolve) => setTimeout(resolve, 1500));
                  jobs.progress(100);
                  return 'done';
                }""");
        String id = RunnerClient.json(post("/v1/jobs/" + uuid, "{}")).path("id").asText();
        JsonNode halfway = awaitJob(id, j -> j.path("progress").path("percent").asInt() == 50);
        assertThat(halfway.path("state").asText()).isEqualTo("active");
        assertThat(halfway.path("startedAt").isNull()).isFalse();
        JsonNode done = awaitJob(id, j -> j.path("state").asText().equals("completed"));
        assertThat(done.path("progress").asInt()).isEqualTo(100);
    }

    @Test
    void theQueueViewListsNewestFirstByScriptAndState() {
        String uuid = runner.deploy(
                "job-listed", "script", "function main(data) { if (data.fail) throw new Error('no'); return 1; }");
        String ok = RunnerClient.json(post("/v1/jobs/" + uuid, "{}")).path("id").asText();
        String bad = RunnerClient.json(post("/v1/jobs/" + uuid, "{\"fail\": true}"))
                .path("id")
                .asText();
        awaitJob(ok, j -> j.path("state").asText().equals("completed"));
        awaitJob(bad, j -> j.path("state").asText().equals("failed"));

        JsonNode all = RunnerClient.json(runner.get("/v1/jobs?uuid=" + uuid));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).path("id").asText()).isEqualTo(bad);
        assertThat(all.get(1).path("id").asText()).isEqualTo(ok);
        JsonNode failed = RunnerClient.json(runner.get("/v1/jobs?uuid=" + uuid + "&state=failed"));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("id").asText()).isEqualTo(bad);
        assertThat(RunnerClient.json(runner.get("/v1/jobs?uuid=" + uuid + "&limit=1")))
                .hasSize(1);
        assertThat(RunnerClient.json(runner.get("/v1/jobs?state=completed")).toString())
                .contains(ok)
                .doesNotContain(bad);
    }

    @Test
    void aScriptEnqueuesAJobOfItsNamespaceAndAwaitsItsResult() {
        runner.deploy(
                "job-square",
                "script",
                "function main(data) { if (data.n < 0) throw new Error('negative: ' + data.n); return data.n * data.n; }");
        String caller = runner.deploy("job-caller", "app", """
                async function main(data) {
                  const id = jobs.enqueue('job-square', { n: data.n }, { attempts: 2, backoff: 0 });
                  const seen = jobs.get(id);
                  try {
                    return { id, seenState: seen.state, maxAttempts: seen.maxAttempts, result: await jobs.result(id, { timeout: 10000 }) };
                  } catch (e) {
                    return { id, error: e.message, state: e.state, code: e.code };
                  }
                }""");
        JsonNode squared = RunnerClient.json(runner.postJson(caller, "{\"n\": 7}"));
        assertThat(squared.path("result").asInt()).as(squared.toString()).isEqualTo(49);
        assertThat(squared.path("seenState").asText()).isIn("waiting", "active", "completed");
        assertThat(squared.path("maxAttempts").asInt()).isEqualTo(2);
        assertThat(job(squared.path("id").asText()).path("namespace").asText()).isEqualTo("tests");

        JsonNode failed = RunnerClient.json(runner.postJson(caller, "{\"n\": -1}"));
        assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("negative: -1").contains("2 attempt(s)");
        assertThat(failed.path("code").asInt()).isEqualTo(500);
    }

    @Test
    void aScriptReachesNoOtherNamespaceAndGetsClearErrors() {
        runner.write(
                "job-other.yaml",
                RunnerClient.yaml("job-other", "script", "function main() { return 'other'; }")
                        .replace("namespace: tests", "namespace: elsewhere"));
        String other = ScriptIdentity.nameBasedUuid("elsewhere", "job-other").toString();
        awaitListed(other);
        String otherJob =
                RunnerClient.json(post("/v1/jobs/" + other, "{}")).path("id").asText();
        String probe = runner.deploy("job-probe", "script", """
                function main(data) {
                  const caught = (f) => { try { return 'no error: ' + JSON.stringify(f()); } catch (e) { return e.message; } };
                  return {
                    otherNamespace: caught(() => jobs.enqueue(data.other)),
                    unknown: caught(() => jobs.enqueue('no-such-script')),
                    badAttempts: caught(() => jobs.enqueue('job-probe', {}, { attempts: 30 })),
                    otherJob: caught(() => jobs.get(data.otherJob)),
                    notAnId: caught(() => jobs.get('42')),
                    progressOutsideAJob: caught(() => jobs.progress(1)),
                    resultInSyncType: caught(() => jobs.result(data.otherJob)),
                    frozen: caught(() => { 'use strict'; jobs.enqueue = () => 'hijacked'; }),
                  };
                }""");
        JsonNode answer = RunnerClient.json(
                runner.postJson(probe, "{\"other\": \"" + other + "\", \"otherJob\": \"" + otherJob + "\"}"));
        assertThat(answer.path("otherNamespace").asText())
                .contains("namespace 'elsewhere'")
                .contains("own namespace ('tests')");
        assertThat(answer.path("unknown").asText()).contains("no Script 'no-such-script' in namespace 'tests'");
        assertThat(answer.path("badAttempts").asText()).contains("between 1 and 25");
        assertThat(answer.path("otherJob").asText())
                .as("another namespace's job does not exist for it")
                .isEqualTo("no error: undefined");
        assertThat(answer.path("notAnId").asText()).contains("not a job id");
        assertThat(answer.path("progressOutsideAJob").asText()).contains("not one");
        assertThat(answer.path("resultInSyncType").asText()).contains("type 'script' is synchronous");
        assertThat(answer.path("frozen").asText()).doesNotStartWith("no error");
        runner.delete("job-other.yaml");
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        String uuid = runner.deploy("job-target", "script", "function main() { return 1; }");
        assertStatus(post("/v1/jobs/" + UUID.randomUUID(), "{}"), 404, "no Script has uuid");
        assertStatus(post("/v1/jobs/" + uuid + "?attempts=0", "{}"), 400, "attempts must be between 1 and 25");
        assertStatus(
                post("/v1/jobs/" + uuid + "?attempts=two", "{}"),
                400,
                "attempts (query ?attempts= or header X-Job-Attempts) must be a whole number");
        assertStatus(post("/v1/jobs/" + uuid + "?delay=-5", "{}"), 400, "delay must be between");
        assertStatus(post("/v1/jobs/" + uuid, "{\"broken\": "), 400, "malformed JSON");
        assertStatus(runner.get("/v1/jobs/not-a-uuid"), 400, "not a job id");
        assertStatus(runner.get("/v1/jobs/" + UUID.randomUUID()), 404, "no job has id");
        assertStatus(runner.httpDelete("/v1/jobs/" + UUID.randomUUID()), 404, "no job has id");
        assertStatus(
                runner.get("/v1/jobs?state=sleeping"), 400, "waiting, active, completed, failed, cancelled, delayed");
        assertStatus(runner.get("/v1/jobs?limit=0"), 400, "limit must be an integer from 1 to 1000");
        assertStatus(runner.get("/v1/jobs?uuid=" + UUID.randomUUID()), 404, "no Script has uuid");
        String id = RunnerClient.json(post("/v1/jobs/" + uuid, "{}")).path("id").asText();
        awaitJob(id, j -> j.path("state").asText().equals("completed"));
        assertStatus(runner.httpDelete("/v1/jobs/" + id), 409, "completed already");
    }

    private void assertStatus(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(RunnerClient.json(response).path("error").path("message").asText())
                .contains(message);
    }

    private HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", RunnerClient.CONTROL_AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode job(String id) {
        HttpResponse<String> response = runner.get("/v1/jobs/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return RunnerClient.json(response);
    }

    private JsonNode awaitJob(String id, Predicate<JsonNode> condition) {
        long until = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < until) {
            last = job(id);
            if (condition.test(last)) {
                return last;
            }
            RunnerClient.sleep(50);
        }
        throw new AssertionError(
                "job " + id + " did not get there within " + WAIT.toSeconds() + " s; last seen: " + last);
    }

    private void awaitInvocationGone(String invocationId) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (runner.get("/v1/invocations").body().contains(invocationId)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("invocation " + invocationId + " still runs after the cancel");
            }
            RunnerClient.sleep(50);
        }
    }

    private void awaitListed(String uuid) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (runner.listed(uuid) == null) {
            if (System.nanoTime() > until) {
                throw new AssertionError(uuid + " was not listed within 10 s");
            }
            RunnerClient.sleep(20);
        }
    }
}
