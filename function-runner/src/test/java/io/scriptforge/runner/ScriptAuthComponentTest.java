package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Script may ask more of its callers than its UUID (spec.auth) and let web pages of named origins call it
 * (spec.cors): checked before any of its JavaScript runs, refused in the error format, nothing run.
 * (RunnerInClusterIT tries spec.auth.kubernetes against a real API server's RBAC.)
 */
@QuarkusTest
class ScriptAuthComponentTest extends RunnerTestBase {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HOOK_TOKEN = "hook-token-value-7f3a9c";

    @Test
    void aBearerScriptRunsOnlyForTheTokenItsSecretHolds() {
        runner.write("auth-hook-secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: hook-token, namespace: tests}
                stringData: {token: %s}
                """.formatted(HOOK_TOKEN));
        String uuid = runner.deploy(
                "auth-bearer",
                "script",
                "function main() { console.log('ran'); return 'ran'; }",
                "auth: {bearer: {name: hook-token, key: token}}");
        // Until the runner has read the Secret, a wrong token answers 503 (no such Secret); then 401.
        for (int i = 0;
                i < 200
                        && call("POST", "/v1/invoke/" + uuid, "Bearer wrong-token")
                                        .statusCode()
                                == 503;
                i++) {
            RunnerClient.sleep(20);
        }

        for (String credential : new String[] {
            null, "Bearer wrong-token", "Bearer " + HOOK_TOKEN + "x", "Basic aG9vazp0b2tlbg==", "Bearer "
        }) {
            for (String path : new String[] {"/v1/invoke/" + uuid, "/v1/route/" + uuid}) {
                HttpResponse<String> refused = call("POST", path, credential);
                assertThat(refused.statusCode())
                        .as("POST %s with %s: %s", path, credential, refused.body())
                        .isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"scriptforge\"");
                assertThat(RunnerClient.json(refused).path("error").path("code").asInt())
                        .isEqualTo(401);
            }
            assertThat(call("GET", "/v1/invoke/" + uuid, credential).statusCode())
                    .isEqualTo(401);
        }
        assertThat(logLines(uuid)).as("nothing ran for a refused caller").isZero();

        HttpResponse<String> served = call("POST", "/v1/invoke/" + uuid, "Bearer " + HOOK_TOKEN);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("ran");
        assertThat(logLines(uuid)).isEqualTo(1);
    }

    @Test
    void aBearerScriptWhoseSecretIsMissingTakesNoCallerAndSaysWhichSecret() {
        String uuid = runner.deploy(
                "auth-absent",
                "script",
                "function main() { return 'ran'; }",
                "auth: {bearer: {name: absent-token, key: token}}");

        HttpResponse<String> refused = call("POST", "/v1/invoke/" + uuid, "Bearer anything-at-all");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("key token of Secret tests/absent-token, which does not exist");
    }

    @Test
    void aScriptAskingForAKubernetesVerbTakesTheLocalTokenInLocalMode() {
        String uuid = runner.deploy(
                "auth-verb", "script", "function main() { return 'ran'; }", "auth: {kubernetes: {verb: invoke}}");

        assertThat(call("POST", "/v1/invoke/" + uuid, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/invoke/" + uuid, "Bearer test-control-token-0123456788")
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> served = call("POST", "/v1/invoke/" + uuid, RunnerClient.CONTROL_AUTHORIZATION);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    }

    @Test
    void pagesOfTheOriginsItNamesMayCallItAndTheirPreflightsAreAnswered() {
        String uuid = runner.deploy(
                "auth-cors",
                "script",
                "function main() { return 'ran'; }",
                "cors: {allowOrigins: [\"https://crm.example\"]}");
        String closed = runner.deploy("auth-no-cors", "script", "function main() { return 'ran'; }");

        HttpResponse<String> allowed = call(
                "POST", "/v1/invoke/" + uuid, null, "Origin", "https://CRM.example", "Sec-Fetch-Site", "cross-site");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://CRM.example");
        assertThat(allowed.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValueSatisfying(h -> assertThat(h).contains("X-ScriptForge-Status"));

        HttpResponse<String> preflight = call(
                "OPTIONS",
                "/v1/invoke/" + uuid,
                null,
                "Origin",
                "https://crm.example",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("GET, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(h -> assertThat(h).contains("Content-Type"));

        for (String[] foreign : new String[][] {
            {"Origin", "https://evil.example"},
            {"Origin", "https://crm.example.evil.example"},
            {"Origin", "null"},
            {"Sec-Fetch-Site", "cross-site"}
        }) {
            HttpResponse<String> refused = call("POST", "/v1/invoke/" + uuid, null, foreign);
            assertThat(refused.statusCode())
                    .as("%s: %s", foreign[0] + ": " + foreign[1], refused.body())
                    .isEqualTo(403);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
        assertThat(call("OPTIONS", "/v1/invoke/" + uuid, null, "Origin", "https://evil.example")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "/v1/invoke/" + closed, null, "Origin", "https://crm.example")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("OPTIONS", "/v1/invoke/" + closed, null, "Origin", "https://crm.example")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aBadAuthOrCorsIsALoadErrorThatNamesTheField() {
        runner.deploy(
                "auth-both",
                "script",
                "function main() { return 'ran'; }",
                "auth: {bearer: {name: hook-token, key: token}, kubernetes: {verb: invoke}}");
        runner.deploy(
                "auth-path-origin",
                "script",
                "function main() { return 'ran'; }",
                "cors: {allowOrigins: [\"https://crm.example/app\"]}");

        assertThat(runner.listedByName("tests", "auth-both").path("loadError").asText())
                .contains("spec.auth: give either bearer");
        assertThat(runner.listedByName("tests", "auth-path-origin")
                        .path("loadError")
                        .asText())
                .contains("spec.cors.allowOrigins", "'https://crm.example/app'");
    }

    private long logLines(String uuid) {
        JsonNode logs = RunnerClient.json(runner.get("/v1/scripts/" + uuid + "/logs?limit=100"));
        return logs.path("lines").size();
    }

    private HttpResponse<String> call(String method, String path, String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{\"routing\": {}}")
                                : HttpRequest.BodyPublishers.noBody());
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
