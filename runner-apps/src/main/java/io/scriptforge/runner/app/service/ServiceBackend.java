package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.SQLException;
import java.util.Map;

/** What the platform gives one app's service JS: its own database schema, its config, its log. */
public interface ServiceBackend {
    RunnerDatabase database();

    AppSchema schema();

    /** Every config item's current value (its default when never written), passwords included: the service is trusted. */
    Map<String, JsonNode> configValues() throws SQLException;

    /**
     * Validates and writes config values in one transaction, then tells every session allowed to
     * read (on every replica) and the service's own onchanged handlers.
     *
     * @throws IllegalArgumentException naming the item and what is wrong, when a value is refused (nothing is written)
     */
    void saveConfig(Map<String, JsonNode> values) throws SQLException;

    /** A line of the service's log (level: debug, info, warn, error). */
    void log(String level, String line);
}
