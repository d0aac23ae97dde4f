package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.crd.ScriptIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /v1/route/{uuid}: the routing chain over a real port; every test has a namespace of its own. */
@QuarkusTest
class RoutingChainComponentTest extends RunnerTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String APPEND =
            "function main(d) { d.routing.trace = (d.routing.trace || []).concat([process.env.SCRIPTFORGE_NAME]); %s return d; }";

    private String deploy(String namespace, String name, String type, String code, String... specLines) {
        runner.write(
                namespace + "-" + name + ".yaml",
                RunnerClient.yaml(name, type, code, specLines)
                        .replace("namespace: tests}", "namespace: " + namespace + "}"));
        String hash = sha256(String.join("\n", code.lines().toList()) + "\n");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            JsonNode listed = runner.listedByName(namespace, name);
            if (listed != null && hash.equals(listed.path("codeHash").asText())) {
                return ScriptIdentity.nameBasedUuid(namespace, name).toString();
            }
            RunnerClient.sleep(20);
        }
        throw new AssertionError(namespace + "/" + name + " not loaded within 10 s");
    }

    private static String sha256(String code) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> route(String uuid, String body) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base.toString()).resolve("/v1/route/" + uuid))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void firstScriptsByNameThenTheGivenOneThenLastOnesEachGettingThePreviousOutput() {
        String ns = "route-order";
        deploy(
                ns,
                "b-first",
                "script",
                APPEND.formatted("d.remove_headers = [{key: 'X-Customer-ID'}];"),
                "routing: {priority: first}");
        deploy(ns, "a-first", "app", APPEND.formatted(""), "routing: {priority: first}");
        deploy(
                ns,
                "z-last",
                "script",
                APPEND.formatted(
                        "(d.egress_routing || d.routing.egress_routing)[0].headers.push({key: 'X-Customer-ID', value: 1234});"),
                "routing: {priority: last}");
        deploy(ns, "disabled", "script", APPEND.formatted(""), "routing: {priority: disabled}");
        deploy(ns, "plain", "script", APPEND.formatted(""));
        deploy("route-elsewhere", "other-first", "script", APPEND.formatted(""), "routing: {priority: first}");
        String uuid = deploy(ns, "main", "script", APPEND.formatted("d.headers = [{key: 'X-All', value: 'a'}];"));

        HttpResponse<String> response = route(
                uuid,
                "{\"routing\":{\"dst\":\"123\"},\"egress_routing\":[{\"headers\":[{\"key\":\"x-customer-id\",\"value\":\"9\"},{\"key\":\"X-Keep\",\"value\":\"k\"}]},{}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode out = RunnerClient.json(response);
        assertThat(out.path("routing").path("trace").toString())
                .isEqualTo("[\"a-first\",\"b-first\",\"main\",\"z-last\"]");
        assertThat(out.path("routing").path("dst").asText()).isEqualTo("123");
        assertThat(out.path("effective_headers"))
                .isEqualTo(
                        RunnerClient.parse(
                                "[[{\"key\":\"X-Keep\",\"value\":\"k\"},{\"key\":\"X-All\",\"value\":\"a\"},{\"key\":\"X-Customer-ID\",\"value\":\"1234\"}],[{\"key\":\"X-All\",\"value\":\"a\"}]]"));
        String plain = runner.listedByName(ns, "plain").path("uuid").asText();
        assertThat(RunnerClient.json(route(plain, "{\"routing\":{\"egress_routing\":[{\"headers\":[]}]}}"))
                        .path("routing")
                        .path("trace")
                        .toString())
                .as("any Script of the namespace can be the routing one")
                .isEqualTo("[\"a-first\",\"b-first\",\"plain\",\"z-last\"]");
        String first = runner.listedByName(ns, "a-first").path("uuid").asText();
        assertThat(RunnerClient.json(route(first, "{\"routing\":{\"egress_routing\":[{\"headers\":[]}]}}"))
                        .path("routing")
                        .path("trace")
                        .toString())
                .as("a first Script given as the routing one runs once")
                .isEqualTo("[\"b-first\",\"a-first\",\"z-last\"]");
    }

    @Test
    void theFirstScriptThatThrowsAnswersItsSipStatusNamingIt() {
        String ns = "route-error";
        deploy(
                ns,
                "a-busy",
                "script",
                "function main(d) { if (d.routing.busy) throw new Error('486 Busy Here'); return d; }",
                "routing: {priority: first}");
        deploy(
                ns,
                "z-last",
                "script",
                "function main(d) { throw new Error('403 Forbidden'); }",
                "routing: {priority: last}");
        String uuid = deploy(ns, "main", "script", "function main(d) { return d; }");
        HttpResponse<String> busy = route(uuid, "{\"routing\":{\"busy\":true}}");
        assertThat(busy.statusCode()).isEqualTo(486);
        assertThat(busy.headers().firstValue("X-ScriptForge-Status")).hasValue("486 Busy Here");
        JsonNode error = RunnerClient.json(busy).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(486);
        assertThat(error.path("reason").asText()).isEqualTo("Busy Here");
        assertThat(error.path("message").asText())
                .contains("route-error/a-busy")
                .contains("step 1 of 3");
        HttpResponse<String> forbidden = route(uuid, "{\"routing\":{}}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(RunnerClient.json(forbidden).path("error").path("message").asText())
                .contains("route-error/z-last");
    }

    @Test
    void aStepWhoseOutputIsNotAnObjectIsAnErrorNamingTheStep() {
        String ns = "route-nonobject";
        deploy(
                ns,
                "a-first",
                "script",
                "function main(d) { return d.routing.say ? 'hello' : [1]; }",
                "routing: {priority: first}");
        String uuid = deploy(ns, "main", "script", "function main(d) { return d; }");
        HttpResponse<String> text = route(uuid, "{\"routing\":{\"say\":true}}");
        assertThat(text.statusCode()).isEqualTo(500);
        assertThat(RunnerClient.json(text).path("error").path("message").asText())
                .isEqualTo("Script route-nonobject/a-first (step 1 of 2) returned a string, not a routing object");
        assertThat(RunnerClient.json(route(uuid, "{\"routing\":{}}"))
                        .path("error")
                        .path("message")
                        .asText())
                .contains("returned a array");
    }

    @Test
    void theWholeChainRunsUnderTheRoutingScriptsTimeoutAndTimeoutAction() {
        String ns = "route-timeout";
        String wait = "async function main(d) { await new Promise(r => setTimeout(r, 250)); return d; }";
        deploy(ns, "a-first", "app", wait, "routing: {priority: first}");
        String uuid = deploy(ns, "main", "app", wait, "timeout: 400ms", "timeoutAction: 408 Request Timeout");
        long start = System.nanoTime();
        HttpResponse<String> response = route(uuid, "{\"routing\":{}}");
        assertThat(response.statusCode())
                .as("each step alone is within 400 ms, both are not")
                .isEqualTo(408);
        assertThat(RunnerClient.json(response).path("error").path("message").asText())
                .contains("routing chain")
                .contains("route-timeout/main");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
    }

    @Test
    void badInputAndUnknownScripts() {
        String uuid = deploy("route-input", "main", "script", "function main(d) { return d; }");
        assertThat(route(uuid, "{\"dst\":1}").statusCode()).isEqualTo(400);
        assertThat(route(uuid, "not json").statusCode()).isEqualTo(400);
        assertThat(route("00000000-0000-4000-8000-000000000000", "{\"routing\":{}}")
                        .statusCode())
                .isEqualTo(404);
    }
}
