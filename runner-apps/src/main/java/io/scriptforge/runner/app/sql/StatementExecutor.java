package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs bound statements in the app's schema and role ({@link RunnerDatabase#inApp}), each in its own
 * transaction under a statement timeout.
 */
public final class StatementExecutor {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Rows fetched per round trip: a large result is never held whole, neither here nor in the driver. */
    static final int FETCH_SIZE = 256;

    private final RunnerDatabase db;
    private final Duration timeout;

    public StatementExecutor(RunnerDatabase db) {
        this(db, DEFAULT_TIMEOUT);
    }

    public StatementExecutor(RunnerDatabase db, Duration timeout) {
        this.db = db;
        this.timeout = timeout;
    }

    public StatementResult insert(AppSchema schema, BoundStatement bound) throws StatementFailed {
        return insert(schema, bound, TransactionHook.NONE);
    }

    /** Runs a SqlInsert and answers the new row's {@code id} (the table needs an id column). */
    public StatementResult insert(AppSchema schema, BoundStatement bound, TransactionHook hook) throws StatementFailed {
        try {
            return db.inApp(schema, connection -> {
                limitTime(connection);
                try (PreparedStatement ps = connection.prepareStatement(bound.sql(), new String[] {"id"})) {
                    bound.bindTo(ps);
                    ps.execute();
                    long rows = Math.max(ps.getUpdateCount(), 0);
                    JsonNode id = null;
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        if (keys.next()) {
                            int column = idColumn(keys);
                            id = RowMapper.value(
                                    keys, column, keys.getMetaData().getColumnTypeName(column));
                        }
                    }
                    StatementResult result = new StatementResult(bound.statement(), bound.obj(), id, rows);
                    hook.beforeCommit(connection, result);
                    return result;
                }
            });
        } catch (SQLException e) {
            if (e instanceof NoIdColumn
                    || "42703".equals(e.getSQLState())
                            && String.valueOf(e.getMessage()).contains("column \"id\" does not exist")) {
                throw new StatementFailed(
                        "statement '" + bound.statement().name() + "' has no id to answer: SqlInsert returns the"
                                + " new row's id, so its table needs an id column (e.g. id BIGSERIAL PRIMARY KEY); use SqlExec for"
                                + " statements on tables without one",
                        e.getSQLState(),
                        e);
            }
            throw failed(e);
        }
    }

    public StatementResult exec(AppSchema schema, BoundStatement bound, RowSink sink)
            throws StatementFailed, InterruptedException {
        return exec(schema, bound, sink, TransactionHook.NONE);
    }

    /** Runs a SqlExec, handing each row to {@code sink} as it is fetched. */
    public StatementResult exec(AppSchema schema, BoundStatement bound, RowSink sink, TransactionHook hook)
            throws StatementFailed, InterruptedException {
        try {
            return db.inApp(schema, connection -> {
                limitTime(connection);
                try (PreparedStatement ps = connection.prepareStatement(bound.sql())) {
                    ps.setFetchSize(FETCH_SIZE);
                    bound.bindTo(ps);
                    long rows = 0;
                    // A query of several statements gives several results: every row of every one goes out.
                    for (boolean isRows = ps.execute();
                            isRows || ps.getUpdateCount() != -1;
                            isRows = ps.getMoreResults()) {
                        if (isRows) {
                            rows += stream(ps.getResultSet(), sink);
                        }
                    }
                    StatementResult result = new StatementResult(bound.statement(), bound.obj(), null, rows);
                    hook.beforeCommit(connection, result);
                    return result;
                }
            });
        } catch (Interrupted e) {
            throw e.cause;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static long stream(ResultSet rs, RowSink sink) throws SQLException {
        try (rs) {
            RowMapper mapper = new RowMapper(rs.getMetaData());
            long rows = 0;
            while (rs.next()) {
                try {
                    sink.row(mapper.row(rs));
                } catch (InterruptedException e) {
                    throw new Interrupted(e);
                }
                rows++;
            }
            return rows;
        }
    }

    /** The id among the returned columns; a statement with its own RETURNING may have left it out. */
    private static int idColumn(ResultSet keys) throws SQLException {
        for (int i = 1; i <= keys.getMetaData().getColumnCount(); i++) {
            if (keys.getMetaData().getColumnLabel(i).equals("id")) {
                return i;
            }
        }
        throw new NoIdColumn();
    }

    private static final class NoIdColumn extends SQLException {
        NoIdColumn() {
            super("the statement returns no id column", "42703");
        }
    }

    private void limitTime(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            st.setString(1, timeout.toMillis() + "ms");
            st.execute();
        }
    }

    /** PostgreSQL's own message for the client; the driver's words only where the server said nothing. */
    private static StatementFailed failed(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return new StatementFailed("the database cannot be reached right now; try again later", state, e);
        }
        ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        String message = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
        return new StatementFailed(message, state, e);
    }

    /** Carries a sink's interruption out of the transaction (which then rolls back). */
    private static final class Interrupted extends RuntimeException {
        final InterruptedException cause;

        Interrupted(InterruptedException cause) {
            super(null, cause, false, false);
            this.cause = cause;
        }
    }
}
