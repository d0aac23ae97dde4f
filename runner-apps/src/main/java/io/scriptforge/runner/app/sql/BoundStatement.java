package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.Arg;
import io.scriptforge.manifest.AppManifest.Statement;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A statement ready to run: JDBC SQL and one value per {@code ?}, in order, each already checked
 * against its arg's declared type (see {@link StatementBinder}).
 *
 * @param values String, Integer, Long, BigDecimal (a ulong64 beyond long) or Boolean; null is SQL NULL
 * @param obj    the effective args by name: what the client sent as bound, and the server-filled ones
 *               with the values used (what a SqlUpdate to monitoring sessions carries)
 */
public record BoundStatement(Statement statement, String sql, List<Object> values, ObjectNode obj) {
    public BoundStatement {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public List<Arg> args() {
        return statement.args();
    }

    /**
     * Sets the parameters of {@code ps}. Strings go as untyped, like a quoted SQL literal, so they
     * fit uuid, timestamp or jsonb columns too (a bare {@code SELECT %s} then needs {@code %s::text}).
     */
    public void bindTo(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            int index = i + 1;
            Object value = values.get(i);
            switch (args().get(i).type()) {
                case STRING -> ps.setObject(index, value, Types.OTHER);
                case INT -> ps.setObject(index, value, Types.INTEGER);
                case UNSIGNED, LONG -> ps.setObject(index, value, Types.BIGINT);
                case ULONG64 -> ps.setObject(index, value, value instanceof BigDecimal ? Types.NUMERIC : Types.BIGINT);
                case BOOL -> ps.setObject(index, value, Types.BOOLEAN);
            }
        }
    }
}
