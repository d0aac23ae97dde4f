package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config: items as properties, save through the platform's validation, onchanged with fresh values. */
class AppServiceConfigTest {
    private static ServiceFixture.Builder app(String name) {
        return ServiceFixture.app(name)
                .configItem("level", "{\"type\": \"INT\", \"default\": 3, \"min\": 0, \"max\": 10}")
                .configItem("title", "{\"type\": \"STRING\", \"default\": \"demo\"}")
                .configItem("token", "{\"type\": \"STRING\", \"default\": \"s3cret\", \"password\": true}")
                .file("main.js", """
                        Config.onchanged((names) => log('changed ' + names.join(',') + ': level=' + Config.level + ' title=' + Config.title));
                        WebServer.onrequest('read', () => ({ body: { level: Config.level, title: Config.title, token: Config.token,
                          keys: Object.keys(Config), hasLevel: 'level' in Config } }));
                        WebServer.onrequest('save', async (req) => {
                          Config.level = req.query.level;
                          try {
                            await Config.save();
                            return { body: { level: Config.level } };
                          } catch (e) {
                            return { status: 400, body: { error: e.message, level: Config.level } };
                          }
                        });
                        WebServer.onrequest('unknown', () => {
                          try { Config.colour = 'red'; return 'set?'; } catch (e) { return e.name + ': ' + e.message; }
                        });""");
    }

    @Test
    void itemsReadAsPropertiesPasswordsIncluded() throws Exception {
        try (ServiceFixture app = app("config-read").start()) {
            JsonNode read = app.getJson("read");

            assertThat(read.path("level").asInt()).isEqualTo(3);
            assertThat(read.path("title").asText()).isEqualTo("demo");
            assertThat(read.path("token").asText()).isEqualTo("s3cret");
            assertThat(read.path("keys").toString()).isEqualTo("[\"level\",\"title\",\"token\"]");
            assertThat(read.path("hasLevel").asBoolean()).isTrue();
            assertThat(app.get("unknown").text())
                    .isEqualTo("TypeError: Config has no item 'colour' (its items: level, title, token); "
                            + "declare items in the manifest's config.init");
        }
    }

    @Test
    void saveWritesThroughThePlatformAndOnchangedSeesTheFreshValue() throws Exception {
        try (ServiceFixture app = app("config-save").start()) {
            JsonNode saved = app.request("GET", "save", Map.of("level", List.of("7")), Map.of(), null)
                    .json();

            assertThat(saved.path("level").isInt())
                    .as("normalized by the platform to a number")
                    .isTrue();
            assertThat(saved.path("level").asInt()).isEqualTo(7);
            assertThat(app.backend.config.get("level").asInt()).isEqualTo(7);
            assertThat(app.backend.awaitLog("changed")).isEqualTo("info changed level: level=7 title=demo");
        }
    }

    @Test
    void aRefusedValueRejectsWithTheReasonAndTheOldValueStays() throws Exception {
        try (ServiceFixture app = app("config-refused").start()) {
            ServiceFixture.Response refused =
                    app.request("GET", "save", Map.of("level", List.of("70")), Map.of(), null);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("error").asText()).isEqualTo("level: 70 is out of range [0, 10]");
            assertThat(refused.json().path("level").asInt()).isEqualTo(3);
            assertThat(app.backend.config.get("level").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aChangeFromElsewhereReachesOnchangedWithFreshValues() throws Exception {
        try (ServiceFixture app = app("config-external").start()) {
            app.backend.config.put("title", TextNode.valueOf("renamed"));

            app.service.configChanged(List.of("title"));

            assertThat(app.backend.awaitLog("changed")).isEqualTo("info changed title: level=3 title=renamed");
            assertThat(app.getJson("read").path("title").asText()).isEqualTo("renamed");
        }
    }
}
