package io.scriptforge.runner.app.schema;

import io.scriptforge.runner.db.AppSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A migration's steps on one connection: each recorded as a change, each failure named with its SQL. */
final class DdlSteps {
    private final Connection connection;
    private final AppSchema schema;
    private final List<String> changes;

    DdlSteps(Connection connection, AppSchema schema, List<String> changes) {
        this.connection = connection;
        this.schema = schema;
        this.changes = changes;
    }

    Connection connection() {
        return connection;
    }

    /** How many changes were recorded so far, by every step on this migration's list. */
    int changeCount() {
        return changes.size();
    }

    /** Runs one step; a failure names the step and, where we can tell, what to change. */
    void ddl(String change, String sql) throws SQLException {
        run(sql);
        changes.add(change);
    }

    /** Runs a statement that is no change worth telling (it keeps things as they are). */
    void run(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(
                    "app " + schema.appName() + ": " + redacted(sql) + " failed: " + e.getMessage() + hint(e),
                    e.getSQLState(),
                    e);
        }
    }

    boolean exists(String sql, String parameter) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String redacted(String sql) {
        return sql.replaceAll("(?i)(PASSWORD ')[^']*'", "$1***'");
    }

    private static String hint(SQLException e) {
        return switch (String.valueOf(e.getSQLState())) {
            case "23502" -> " (a NOT NULL column added to a table that has rows needs a DEFAULT)";
            case "23505", "23514", "23503" -> " (the rows already in the table do not satisfy it: fix them first)";
            default -> "";
        };
    }
}
