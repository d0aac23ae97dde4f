package io.scriptforge.runner.app.schema;

import java.util.List;

/**
 * What a migration did.
 *
 * @param version      the applied schema version, raised by one each time the schema part of the manifest changes
 * @param changes      what was created or added, in order, for the app's status and log (empty: nothing to do)
 * @param roleIsolated true when the app has its own role owning its schema; false when the database user
 *                     may not create roles, so the app's SQL is confined by search_path only
 */
public record MigrationResult(int version, List<String> changes, boolean roleIsolated) {
    public MigrationResult {
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }
}
