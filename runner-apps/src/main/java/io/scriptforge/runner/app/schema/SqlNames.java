package io.scriptforge.runner.app.schema;

import java.util.Locale;

/**
 * Identifiers as we write them into DDL. The parser only lets {@code [A-Za-z_][A-Za-z0-9_]*} through;
 * we lower-case (what PostgreSQL does to the unquoted names in the app's own queries, so {@code Notes}
 * in a manifest and {@code FROM notes} in a statement meet) and quote anyway.
 */
final class SqlNames {
    private SqlNames() {}

    static String folded(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String quoted(String name) {
        return "\"" + folded(name).replace("\"", "\"\"") + "\"";
    }
}
