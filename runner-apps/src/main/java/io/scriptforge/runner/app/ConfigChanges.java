package io.scriptforge.runner.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.app.config.ConfigRefused;
import io.scriptforge.runner.app.events.AppEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A config change travels as an event (sent only when its transaction commits), so every replica
 * pushes ConfigUpdate to its own sessions allowed to read, and tells the app's service.
 */
final class ConfigChanges {
    static final String TOPIC = "config";
    private static final Logger LOG = Logger.getLogger(ConfigChanges.class);

    private ConfigChanges() {}

    static void publish(AppEvents events, Connection tx, AppManifest manifest, List<String> changed)
            throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        changed.forEach(payload.putArray("names")::add);
        events.publish(tx, manifest.qualifiedName(), TOPIC, payload);
    }

    static void deliver(AppRuntime runtime, ObjectNode payload, AppPlatform platform) {
        if (!runtime.ready()) {
            return;
        }
        List<String> names = new ArrayList<>();
        payload.path("names").forEach(n -> names.add(n.asText()));
        for (AppConnection session : runtime.sessions()) {
            if (session.identity() == null
                    || !platform.config()
                            .mayRead(runtime.manifest(), session.identity().modes())) {
                continue;
            }
            try {
                JsonNode items = platform.config()
                        .readForSession(
                                runtime.schema(),
                                runtime.manifest(),
                                session.identity().modes());
                ObjectNode update = JsonNodeFactory.instance
                        .objectNode()
                        .put("mt", "ConfigUpdate")
                        .put("api", "Config");
                update.set("ConfigItems", items);
                session.send(update);
            } catch (SQLException | ConfigRefused e) {
                LOG.warnf("App %s: ConfigUpdate not sent to a session: %s", runtime.qualifiedName(), e.getMessage());
            }
        }
        runtime.service().configChanged(names);
    }
}
