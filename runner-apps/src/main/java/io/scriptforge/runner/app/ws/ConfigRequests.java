package io.scriptforge.runner.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.config.ConfigRefused;
import java.sql.SQLException;
import java.util.Set;

/**
 * The Config api ({@code api: "Config"}): ReadConfig and WriteConfig under the app's config modes. A
 * write is checked whole before anything is stored; its ConfigUpdate goes out when it commits.
 */
final class ConfigRequests {
    private ConfigRequests() {}

    static void handle(
            AppSocket socket,
            AppRuntime runtime,
            AppPlatform platform,
            Set<String> modes,
            String mt,
            JsonNode src,
            ObjectNode message) {
        ObjectMapper json = platform.json();
        try {
            switch (mt) {
                case "ReadConfig" -> {
                    ObjectNode answer =
                            AppMessages.reply(json, "ReadConfigResult", src).put("api", "Config");
                    answer.set(
                            "ConfigItems",
                            platform.config().readForSession(runtime.schema(), runtime.manifest(), modes));
                    socket.send(answer);
                }
                case "WriteConfig" -> {
                    JsonNode items = message.get("ConfigItems");
                    if (items == null || !items.isObject()) {
                        socket.send(AppMessages.error(
                                        json,
                                        "WriteConfigResult",
                                        src,
                                        "WriteConfig needs ConfigItems: an object of item name: value")
                                .put("api", "Config"));
                        return;
                    }
                    platform.config()
                            .write(
                                    runtime.schema(),
                                    runtime.manifest(),
                                    modes,
                                    items,
                                    (tx, changed) -> platform.publishConfigChange(tx, runtime.manifest(), changed));
                    ObjectNode answer =
                            AppMessages.reply(json, "WriteConfigResult", src).put("api", "Config");
                    socket.send(answer);
                }
                default ->
                    socket.send(AppMessages.error(
                                    json, mt, src, "the Config api has ReadConfig and WriteConfig, not '" + mt + "'")
                            .put("api", "Config"));
            }
        } catch (ConfigRefused | IllegalArgumentException e) {
            socket.send(AppMessages.error(json, mt, src, e.getMessage()).put("api", "Config"));
        } catch (SQLException e) {
            socket.send(AppMessages.error(json, mt, src, "the app's database failed: " + e.getMessage())
                    .put("api", "Config"));
        }
    }
}
