package io.scriptforge.runner.app.schema;

import java.util.List;

/**
 * The new manifest would lose data the app stored (a table or column no longer declared, a column's
 * type changed), so nothing of it was applied. Each reason names the table and column and what to do.
 */
public final class SchemaChangeRefused extends Exception {
    private final List<String> reasons;

    public SchemaChangeRefused(List<String> reasons) {
        super(message(reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }

    private static String message(List<String> reasons) {
        return reasons.size() == 1
                ? "schema change refused, nothing was applied: " + reasons.getFirst()
                : "schema change refused, nothing was applied:\n- " + String.join("\n- ", reasons);
    }
}
