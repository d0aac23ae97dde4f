package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Local mode's control API takes only its token: every control route, without a credential and with a wrong one,
 * answers 401 in the error format and changes nothing; with the token it works. No web page of another origin
 * drives it (nor runs a Script), token or not. (ControlApiAuthIT tries the Kubernetes reviews of a cluster.)
 */
@QuarkusTest
class ControlApiAuthComponentTest extends RunnerTestBase {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String WRONG = "Bearer test-control-token-0123456788";

    private String uuid;
    private String job;

    /** A control call: method, path, and a body for POST. */
    private record Call(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeEach
    void aScriptWithAJob() {
        uuid = runner.deploy("control-target", "script", "function main(d) { return 'ran'; }");
        job = RunnerClient.json(send(
                        new Call("POST", "/v1/jobs/" + uuid + "?delay=600000"), RunnerClient.CONTROL_AUTHORIZATION))
                .path("id")
                .asText();
        assertThat(job).isNotEmpty();
    }

    private List<Call> everyControlRoute() {
        return List.of(
                new Call("GET", "/v1/scripts"),
                new Call("GET", "/v1/scripts/" + uuid + "/logs"),
                new Call("GET", "/v1/invocations"),
                new Call("DELETE", "/v1/invocations/some-invocation"),
                new Call("POST", "/v1/jobs/" + uuid),
                new Call("GET", "/v1/jobs"),
                new Call("GET", "/v1/jobs?uuid=" + uuid),
                new Call("GET", "/v1/jobs/" + job),
                new Call("DELETE", "/v1/jobs/" + job),
                new Call("GET", "/v1/schedules"),
                new Call("GET", "/v1/apps"));
    }

    @Test
    void everyControlRouteWantsTheToken() {
        int jobs = jobsOfTheScript().size();
        for (Call call : everyControlRoute()) {
            for (String credential : new String[] {null, WRONG, "Basic dXNlcjpwYXNz", "Bearer "}) {
                HttpResponse<String> answer = send(call, credential);
                assertThat(answer.statusCode())
                        .as("%s with %s: %s", call, credential, answer.body())
                        .isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate"))
                        .as("%s", call)
                        .hasValue("Bearer realm=\"scriptforge\"");
                assertThat(RunnerClient.json(answer).path("error").path("code").asInt())
                        .isEqualTo(401);
            }
        }
        assertThat(jobState()).as("the job nobody with the token cancelled").isEqualTo("delayed");
        assertThat(jobsOfTheScript())
                .as("no job was enqueued without the token")
                .hasSize(jobs);
    }

    @Test
    void withTheTokenEveryControlRouteWorks() {
        for (Call call : everyControlRoute()) {
            HttpResponse<String> answer = send(call, RunnerClient.CONTROL_AUTHORIZATION);
            int expected = call.path().equals("/v1/invocations/some-invocation")
                    ? 404
                    : call.method().equals("POST") ? 202 : 200;
            assertThat(answer.statusCode()).as("%s: %s", call, answer.body()).isEqualTo(expected);
        }
        assertThat(jobState()).isEqualTo("cancelled");
    }

    @Test
    void aRunningInvocationIsCancelledOnlyWithTheToken() throws Exception {
        String slow = runner.deploy(
                "control-slow",
                "app",
                "async function main() { await new Promise(r => setTimeout(r, 3000)); return 'done'; }",
                "timeout: 10s");
        CompletableFuture<HttpResponse<String>> running =
                runner.postAsync(slow, "{}", "X-Invocation-Id", "control-slow-1");
        awaitListed("control-slow-1");
        assertThat(send(new Call("DELETE", "/v1/invocations/control-slow-1"), null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(new Call("DELETE", "/v1/invocations/control-slow-1"), WRONG)
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(new Call("DELETE", "/v1/invocations/control-slow-1"), RunnerClient.CONTROL_AUTHORIZATION)
                        .statusCode())
                .isEqualTo(202);
        assertThat(running.get().statusCode()).isEqualTo(487);
    }

    @Test
    void aWebPageOfAnotherOriginDrivesNothingWhateverItSends() {
        int jobs = jobsOfTheScript().size();
        List<String[]> foreign = List.of(
                new String[] {"Origin", "http://evil.example"},
                new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Sec-Fetch-Site", "same-site"});
        List<Call> calls = new ArrayList<>(everyControlRoute());
        calls.add(new Call("POST", "/v1/invoke/" + uuid));
        calls.add(new Call("GET", "/v1/invoke/" + uuid));
        for (Call call : calls) {
            for (String[] header : foreign) {
                HttpResponse<String> answer = send(call, RunnerClient.CONTROL_AUTHORIZATION, header);
                assertThat(answer.statusCode())
                        .as("%s with %s: %s", call, header[0] + ": " + header[1], answer.body())
                        .isEqualTo(403);
                assertThat(answer.body()).contains("another origin");
            }
        }
        assertThat(jobState()).isEqualTo("delayed");
        assertThat(jobsOfTheScript()).hasSize(jobs);
    }

    @Test
    void aRequestOfTheRunnersOwnOriginIsServed() {
        String own = "http://" + base.getHost() + ":" + base.getPort();
        assertThat(send(new Call("GET", "/v1/scripts"), RunnerClient.CONTROL_AUTHORIZATION, new String[] {"Origin", own
                        })
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(new Call("POST", "/v1/invoke/" + uuid), null, new String[] {"Origin", own})
                        .body())
                .isEqualTo("ran");
        assertThat(send(new Call("POST", "/v1/invoke/" + uuid), null, new String[] {"Sec-Fetch-Site", "same-origin"})
                        .body())
                .isEqualTo("ran");
    }

    private void awaitListed(String invocation) {
        for (int i = 0; i < 300; i++) {
            for (JsonNode listed : RunnerClient.json(runner.get("/v1/invocations"))) {
                if (listed.path("id").asText().equals(invocation)) {
                    return;
                }
            }
            RunnerClient.sleep(10);
        }
        throw new AssertionError("invocation " + invocation + " never showed in GET /v1/invocations");
    }

    private String jobState() {
        return RunnerClient.json(runner.get("/v1/jobs/" + job)).path("state").asText();
    }

    private List<JsonNode> jobsOfTheScript() {
        List<JsonNode> jobs = new ArrayList<>();
        RunnerClient.json(runner.get("/v1/jobs?uuid=" + uuid)).forEach(jobs::add);
        return jobs;
    }

    private HttpResponse<String> send(Call call, String authorization, String[]... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + base.getHost() + ":" + base.getPort() + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        call.method(),
                        call.method().equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody());
        if (call.method().equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (String[] header : headers) {
            request.header(header[0], header[1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(call + " failed: " + e, e);
        }
    }
}
