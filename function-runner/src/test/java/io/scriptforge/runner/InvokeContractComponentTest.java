package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The HTTP contract of POST/GET /v1/invoke/{uuid}, over a real port. */
@QuarkusTest
class InvokeContractComponentTest extends RunnerTestBase {
    @Test
    void stringResultAnswersTextPlainAndObjectBodyOverlaysVarsKeyByKey() {
        String uuid = runner.deploy(
                "contract-echo",
                "script",
                "function main(data) { return data.greeting + ', ' + data.name; }",
                "vars: {greeting: Hello, name: World}");
        HttpResponse<String> response = runner.postJson(uuid, "{\"name\":\"Ada\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("Hello, Ada");
        assertThat(runner.post(uuid, null, "").body()).as("no body: vars alone").isEqualTo("Hello, World");
    }

    @Test
    void nonObjectBodyReplacesVarsAndOtherResultsAnswerJson() {
        String uuid = runner.deploy(
                "contract-json", "script", "function main(data) { return { got: data }; }", "vars: {a: 1}");
        HttpResponse<String> response = runner.postJson(uuid, "[1, 2]");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"got\":[1,2]}");
        assertThat(runner.postJson(uuid, "42").body()).isEqualTo("{\"got\":42}");
    }

    @Test
    void undefinedAnswers204() {
        String uuid = runner.deploy("contract-void", "script", "function main() { }");
        assertThat(runner.post(uuid, null, "").statusCode()).isEqualTo(204);
    }

    @Test
    void formSubmissionsAndQueryStringsBecomeObjects() {
        String uuid = runner.deploy("contract-form", "script", "function main(data) { return data; }");
        HttpResponse<String> form =
                runner.post(uuid, "application/x-www-form-urlencoded", "name=Ada+Lovelace&tag=a&tag=b");
        assertThat(RunnerClient.json(form))
                .isEqualTo(RunnerClient.parse("{\"name\":\"Ada Lovelace\",\"tag\":[\"a\",\"b\"]}"));
        HttpResponse<String> query = runner.get("/v1/invoke/" + uuid + "?a=1&b=two");
        assertThat(query.body()).isEqualTo("{\"a\":\"1\",\"b\":\"two\"}");
    }

    @Test
    void thrownSipStatusAnswersThatCodeAndReason() {
        String uuid = runner.deploy("contract-404", "script", "function main() { throw new Error('404 Not Found'); }");
        HttpResponse<String> response = runner.post(uuid, null, "");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":{\"code\":404,\"reason\":\"Not Found\"}}");
        assertThat(response.headers().firstValue("X-ScriptForge-Status")).hasValue("404 Not Found");
    }

    @Test
    void rejectionWithCodeOutsideHttpAnswers422WithTheRealCode() {
        String uuid = runner.deploy(
                "contract-dnc", "app", "async function main() { return Promise.reject([604, 'Number on DNC List']); }");
        HttpResponse<String> response = runner.post(uuid, null, "");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).isEqualTo("{\"error\":{\"code\":604,\"reason\":\"Number on DNC List\"}}");
        assertThat(response.headers().firstValue("X-ScriptForge-Status")).hasValue("604 Number on DNC List");
    }

    @Test
    void aReasonCannotSmuggleHeadersOrStopTheAnswer() {
        String uuid = runner.deploy(
                "contract-crlf",
                "script",
                "function main(d) { if (d.array) throw [604, 'DNC\\r\\nX-Evil: 1']; throw '604 DNC\\nX-Evil: 1'; }");
        HttpResponse<String> array = runner.postJson(uuid, "{\"array\":true}");
        assertThat(array.statusCode()).isEqualTo(422);
        assertThat(array.headers().firstValue("X-Evil")).isEmpty();
        assertThat(array.headers().firstValue("X-ScriptForge-Status")).hasValue("604 DNC X-Evil: 1");
        HttpResponse<String> text = runner.postJson(uuid, "{}");
        assertThat(text.statusCode()).as("not a one-line status: a plain error").isEqualTo(500);
        assertThat(text.headers().firstValue("X-Evil")).isEmpty();
    }

    @Test
    void aProtoKeyInTheBodyIsDataNotAPrototype() {
        String uuid = runner.deploy(
                "contract-proto",
                "script",
                "function main(d) { return [Object.keys(d).sort().join(','), d.isAdmin === undefined]; }",
                "vars: {a: 1}");
        assertThat(runner.postJson(uuid, "{\"__proto__\":{\"isAdmin\":true}}").body())
                .isEqualTo("[\"__proto__,a\",true]");
    }

    @Test
    void uncaughtErrorAnswers500WithMessageAndScriptLineAndColumn() {
        String uuid = runner.deploy(
                "contract-crash", "script", "function main(data) {\n  const x = null;\n  return x.field;\n}");
        HttpResponse<String> response = runner.post(uuid, null, "");
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = RunnerClient.json(response).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(500);
        assertThat(error.path("message").asText()).startsWith("TypeError").contains("field");
        assertThat(error.path("line").asInt()).isEqualTo(3);
        assertThat(error.path("column").asInt())
                .as("GraalJS points at the start of x.field")
                .isEqualTo(10);
        assertThat(error.path("at").asText()).isEqualTo("tests/contract-crash.js:3:10");
    }

    @Test
    void errorOnTheFirstLineReportsTheUsersColumnNotTheWrappersOne() {
        String uuid = runner.deploy("contract-line1", "script", "function main() { return missing.x; }");
        JsonNode error = RunnerClient.json(runner.post(uuid, null, "")).path("error");
        assertThat(error.path("line").asInt()).isEqualTo(1);
        assertThat(error.path("column").asInt()).isEqualTo(26);
    }

    @Test
    void everyResponseCarriesAnInvocationIdThatClientsMayChoose() {
        String uuid = runner.deploy("contract-id", "script", "function main(d, ctx) { return ctx.invocationId; }");
        HttpResponse<String> generated = runner.post(uuid, null, "");
        assertThat(generated.headers().firstValue("X-Invocation-Id"))
                .hasValueSatisfying(id -> assertThat(generated.body()).isEqualTo(id));
        HttpResponse<String> chosen = runner.post(uuid, null, "", "X-Invocation-Id", "call-42");
        assertThat(chosen.headers().firstValue("X-Invocation-Id")).hasValue("call-42");
        assertThat(chosen.body()).isEqualTo("call-42");
        assertThat(runner.post(uuid, null, "", "X-Invocation-Id", "bad id!").statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown = runner.postJson("00000000-0000-4000-8000-00000000dead", "{}");
        assertThat(unknown.headers().firstValue("X-Invocation-Id")).isPresent();
    }

    @Test
    void unknownUuidAnswers404InTheErrorFormat() {
        HttpResponse<String> response = runner.postJson("00000000-0000-4000-8000-000000000000", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(RunnerClient.json(response).path("error").path("code").asInt())
                .isEqualTo(404);
    }

    @Test
    void malformedJsonAnswers400SayingWhere() {
        String uuid = runner.deploy("contract-badjson", "script", "function main(d) { return d; }");
        HttpResponse<String> response = runner.postJson(uuid, "{\"a\": 1,\n \"b\": }");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RunnerClient.json(response).path("error").path("message").asText())
                .contains("line 2, column 7");
    }

    @Test
    void bodyOverTheLimitAnswers413() {
        String uuid = runner.deploy("contract-big", "script", "function main(d) { return 'ok'; }");
        String big = "{\"x\":\"" + "a".repeat(1024 * 1024) + "\"}";
        HttpResponse<String> response = runner.postJson(uuid, big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(RunnerClient.json(response).path("error").path("code").asInt())
                .isEqualTo(413);
    }

    @Test
    void scriptsAreListedWithNameBasedUuidAndUrl() {
        String uuid = runner.deploy("contract-listed", "app", "function main() { return 1; }");
        assertThat(uuid)
                .isEqualTo(io.scriptforge.crd.ScriptIdentity.nameBasedUuid("tests", "contract-listed")
                        .toString());
        JsonNode listed = runner.listed(uuid);
        assertThat(listed.path("namespace").asText()).isEqualTo("tests");
        assertThat(listed.path("name").asText()).isEqualTo("contract-listed");
        assertThat(listed.path("type").asText()).isEqualTo("app");
        assertThat(listed.path("url").asText()).endsWith("/v1/invoke/" + uuid);
        assertThat(listed.path("loadError").isNull()).isTrue();
    }

    @Test
    void healthEndpointsAnswer() {
        assertThat(runner.get("/q/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = runner.get("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("scripts-loaded");
    }
}
