package io.scriptforge.runner.app.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the app's schema holds right now, read from the catalog: the migration adds what is missing
 * and refuses to forget what still holds data. Names are as PostgreSQL stores them (folded).
 */
final class ExistingObjects {
    /** Relation name → relkind ('r' table, 'p' partitioned table, 'i' index, 'S' sequence, ...). */
    private final Map<String, String> relations = new HashMap<>();

    private final Map<String, Set<String>> columnsByTable = new HashMap<>();
    private final Map<String, Set<String>> constraintsByTable = new HashMap<>();

    static ExistingObjects read(Connection connection, String schema) throws SQLException {
        ExistingObjects objects = new ExistingObjects();
        query(
                connection,
                schema,
                "SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ?",
                (a, b) -> objects.relations.put(a, b));
        query(
                connection,
                schema,
                "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped",
                (table, column) -> objects.columnsByTable
                        .computeIfAbsent(table, k -> new HashSet<>())
                        .add(column));
        query(
                connection,
                schema,
                "SELECT c.relname, con.conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?",
                (table, constraint) -> objects.constraintsByTable
                        .computeIfAbsent(table, k -> new HashSet<>())
                        .add(constraint));
        return objects;
    }

    boolean hasTable(String name) {
        String kind = relations.get(SqlNames.folded(name));
        return "r".equals(kind) || "p".equals(kind);
    }

    boolean hasRelation(String name) {
        return relations.containsKey(SqlNames.folded(name));
    }

    boolean hasColumn(String table, String column) {
        return columnsByTable.getOrDefault(SqlNames.folded(table), Set.of()).contains(SqlNames.folded(column));
    }

    boolean hasConstraint(String table, String constraint) {
        return constraintsByTable.getOrDefault(SqlNames.folded(table), Set.of()).contains(SqlNames.folded(constraint));
    }

    private interface PairSink {
        void accept(String first, String second);
    }

    private static void query(Connection connection, String schema, String sql, PairSink sink) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1), rs.getString(2));
                }
            }
        }
    }
}
