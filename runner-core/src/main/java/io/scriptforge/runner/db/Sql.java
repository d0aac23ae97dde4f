package io.scriptforge.runner.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The prepare, bind, execute and read shape of one statement, written once: parameters are bound in order
 * ({@code setObject}, so give each a non-null String, Integer, Long, Boolean, byte[] or {@link java.sql.Array}), the
 * statement and its result set are always closed, and nothing but the SQL text is ever concatenated by the caller.
 */
public final class Sql {
    private Sql() {}

    /** Reads one row into a value; called once per row, positioned on it. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    /** The first row of a query, read by {@code row}, if there is one. */
    public static <T> Optional<T> first(Connection connection, String sql, Row<T> row, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(row.read(rows)) : Optional.empty();
        }
    }

    /** Whether a query returns any row. */
    public static boolean exists(Connection connection, String sql, Object... parameters) throws SQLException {
        return first(connection, sql, rows -> Boolean.TRUE, parameters).isPresent();
    }

    /** Every row of a query, read by {@code row}, in the query's order. */
    public static <T> List<T> list(Connection connection, String sql, Row<T> row, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(row.read(rows));
            }
            return values;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    throw new IllegalArgumentException("parameter " + (i + 1) + " of [" + sql
                            + "] is null: bind a typed null with a PreparedStatement of your own");
                }
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
