package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.runner.RunnerClient;
import java.net.URL;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** With the warm-up off (the tests' default), the runner is ready as soon as its Scripts are loaded. */
@QuarkusTest
class WarmUpOffComponentTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void warmUpOffMeansReadyAtOnce() {
        HttpResponse<String> ready = new RunnerClient(base).get("/q/health/ready");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode warmUp = null;
        for (JsonNode check : RunnerClient.json(ready).path("checks")) {
            if (check.path("name").asText().equals("warm-up")) {
                warmUp = check;
            }
        }
        assertThat(warmUp).isNotNull();
        assertThat(warmUp.path("status").asText()).isEqualTo("UP");
        assertThat(warmUp.path("data").path("state").asText()).isEqualTo("off");
    }
}
