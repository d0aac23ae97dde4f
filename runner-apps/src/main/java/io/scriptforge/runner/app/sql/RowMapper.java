package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.function.Function;

/**
 * A result row as JSON, column label → value: integers and numerics as numbers, booleans as
 * booleans, timestamps as ISO-8601 text, bytea as base64, everything else (text, uuid, json...) as
 * its text, SQL NULL as null.
 */
final class RowMapper {
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

    private final String[] labels;
    private final String[] types;

    RowMapper(ResultSetMetaData meta) throws SQLException {
        labels = new String[meta.getColumnCount()];
        types = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
            types[i] = meta.getColumnTypeName(i + 1);
        }
    }

    ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode row = JSON.objectNode();
        for (int i = 0; i < labels.length; i++) {
            row.set(labels[i], value(rs, i + 1, types[i]));
        }
        return row;
    }

    /** The value of one column; {@code type} is PostgreSQL's name for it (int8, timestamptz...). */
    static JsonNode value(ResultSet rs, int column, String type) throws SQLException {
        JsonNode value = switch (type) {
            case "int2", "int4", "serial", "smallserial" -> JSON.numberNode(rs.getInt(column));
            // pgjdbc names a serial column by its declaration (e.g. the generated keys of an insert).
            case "int8", "oid", "bigserial" -> JSON.numberNode(rs.getLong(column));
            case "numeric" -> JSON.numberNode(rs.getBigDecimal(column));
            case "float4", "float8" -> {
                double d = rs.getDouble(column);
                // JSON has no NaN or Infinity: those go as PostgreSQL writes them.
                yield Double.isFinite(d) ? JSON.numberNode(d) : JSON.textNode(rs.getString(column));
            }
            case "bool" -> JSON.booleanNode(rs.getBoolean(column));
            case "timestamptz" ->
                text(rs.getObject(column, OffsetDateTime.class), DateTimeFormatter.ISO_OFFSET_DATE_TIME::format);
            case "timestamp" ->
                text(rs.getObject(column, LocalDateTime.class), DateTimeFormatter.ISO_LOCAL_DATE_TIME::format);
            case "date" -> text(rs.getObject(column, LocalDate.class), DateTimeFormatter.ISO_LOCAL_DATE::format);
            case "time" -> text(rs.getObject(column, LocalTime.class), DateTimeFormatter.ISO_LOCAL_TIME::format);
            case "bytea" -> text(rs.getBytes(column), Base64.getEncoder()::encodeToString);
            default -> text(rs.getString(column), Function.identity());
        };
        return rs.wasNull() ? NullNode.instance : value;
    }

    private static <T> JsonNode text(T value, Function<T, String> format) {
        return value == null ? NullNode.instance : JSON.textNode(format.apply(value));
    }
}
