package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One {@code Database.exec} or {@code Database.insert} of the service, on a connection already
 * confined to the app: values bound as parameters, rows encoded as JSON for the context.
 */
final class ServiceSql {
    /** A bigger result would sit whole in the runner's heap and the app's context. */
    static final int MAX_ROWS = 10_000;

    static final int QUERY_TIMEOUT_SECONDS = 30;
    private static final String UNDEFINED_COLUMN = "42703";

    enum Kind {
        EXEC,
        INSERT
    }

    /**
     * @param params JSON array from the library: strings, numbers, booleans, nulls (checked there)
     */
    record Query(Kind kind, String sql, JsonNode params) {}

    private ServiceSql() {}

    /** Runs the query; the JSON the library resolves with: rows (exec) or the new row's id (insert). */
    static JsonNode run(Connection connection, Query query) throws SQLException {
        return query.kind() == Kind.INSERT ? insert(connection, query) : exec(connection, query);
    }

    private static JsonNode exec(Connection connection, Query query) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(query.sql())) {
            bind(st, query.params());
            st.setMaxRows(MAX_ROWS + 1);
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            boolean rows = st.execute();
            if (!rows) {
                return ServiceJson.NODES.arrayNode();
            }
            try (ResultSet rs = st.getResultSet()) {
                return encodeRows(rs);
            }
        }
    }

    private static JsonNode insert(Connection connection, Query query) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(query.sql(), new String[] {"id"})) {
            bind(st, query.params());
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                if (!keys.next()) {
                    return ServiceJson.NODES.nullNode(); // e.g. ON CONFLICT DO NOTHING inserted no row
                }
                return value(keys, 1, keys.getMetaData().getColumnTypeName(1));
            }
        } catch (SQLException e) {
            if (UNDEFINED_COLUMN.equals(e.getSQLState()) && describe(e).startsWith("column \"id\" does not exist")) {
                throw new SQLException(
                        describe(e) + ": Database.insert answers the new row's id column;"
                                + " for a table without one use Database.exec (with RETURNING for the values you need)",
                        e.getSQLState(),
                        e);
            }
            throw e;
        }
    }

    /**
     * Binds each value as a parameter. Strings go untyped, so the server reads them as whatever the
     * column needs (a timestamp, a uuid, jsonb); whole numbers as bigint, other numbers as double.
     */
    static void bind(PreparedStatement st, JsonNode params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            JsonNode value = params.get(i);
            int at = i + 1;
            if (value == null || value.isNull()) {
                st.setNull(at, Types.NULL);
            } else if (value.isBoolean()) {
                st.setBoolean(at, value.booleanValue());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                st.setLong(at, value.longValue());
            } else if (value.isNumber()) {
                st.setDouble(at, value.doubleValue());
            } else if (value.isTextual()) {
                st.setObject(at, value.textValue(), Types.OTHER);
            } else {
                throw new IllegalArgumentException("parameter " + at + " is not a string, number, boolean or null");
            }
        }
    }

    private static ArrayNode encodeRows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        String[] names = new String[columns];
        String[] types = new String[columns];
        for (int c = 0; c < columns; c++) {
            names[c] = meta.getColumnLabel(c + 1);
            types[c] = meta.getColumnTypeName(c + 1);
        }
        ArrayNode rows = ServiceJson.NODES.arrayNode();
        while (rs.next()) {
            if (rows.size() == MAX_ROWS) {
                throw new SQLException(
                        "the query returned more than " + MAX_ROWS
                                + " rows: add a LIMIT and read the rest in pages (by key or OFFSET)",
                        "54000");
            }
            ObjectNode row = ServiceJson.NODES.objectNode();
            for (int c = 0; c < columns; c++) {
                row.set(names[c], value(rs, c + 1, types[c]));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A column's value as the library promises it: numbers, booleans, strings, null; times as ISO strings. */
    private static JsonNode value(ResultSet rs, int column, String typeName) throws SQLException {
        switch (typeName) {
            case "timestamptz" -> {
                OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
                return at == null
                        ? ServiceJson.NODES.nullNode()
                        : TextNode.valueOf(at.toInstant().toString());
            }
            case "timestamp" -> {
                Timestamp at = rs.getTimestamp(column);
                return at == null
                        ? ServiceJson.NODES.nullNode()
                        : TextNode.valueOf(at.toLocalDateTime().toString());
            }
            case "date", "time", "timetz", "interval" -> {
                String text = rs.getString(column);
                return text == null ? ServiceJson.NODES.nullNode() : TextNode.valueOf(text);
            }
            case "json", "jsonb" -> {
                String text = rs.getString(column);
                return text == null ? ServiceJson.NODES.nullNode() : ServiceJson.safeForJs(ServiceJson.read(text));
            }
            default -> {
                return plain(rs.getObject(column));
            }
        }
    }

    private static JsonNode plain(Object value) throws SQLException {
        return switch (value) {
            case null -> ServiceJson.NODES.nullNode();
            case Boolean b -> BooleanNode.valueOf(b);
            case Short s -> ServiceJson.NODES.numberNode(s);
            case Integer i -> ServiceJson.NODES.numberNode(i);
            case Long l -> ServiceJson.integer(l);
            case BigInteger big -> ServiceJson.integer(big);
            case Float f -> ServiceJson.floating(f);
            case Double d -> ServiceJson.floating(d);
            case BigDecimal d -> ServiceJson.decimal(d);
            case String s -> TextNode.valueOf(s);
            case UUID u -> TextNode.valueOf(u.toString());
            case byte[] bytes -> TextNode.valueOf(HexFormat.of().formatHex(bytes));
            case Array array -> {
                ArrayNode items = ServiceJson.NODES.arrayNode();
                for (Object item : (Object[]) array.getArray()) {
                    items.add(plain(item));
                }
                yield items;
            }
            default -> TextNode.valueOf(value.toString());
        };
    }

    /** The server's words for a failed query, on one line, without the driver's "ERROR: " prefix. */
    static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        List<String> lines = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        String first = lines.isEmpty() ? message : lines.getFirst().replaceFirst("^ERROR: ", "");
        return lines.size() <= 1 ? first : first + " (" + String.join("; ", lines.subList(1, lines.size())) + ")";
    }
}
