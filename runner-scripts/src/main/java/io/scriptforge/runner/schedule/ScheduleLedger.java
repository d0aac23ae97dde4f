package io.scriptforge.runner.schedule;

import io.scriptforge.runner.db.PlatformSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last tick of every scheduled Script, in the runners' schema so every replica reports the same
 * one whichever replica ran it. (The next tick is the task table's own execution time.)
 */
final class ScheduleLedger {
    static final String TABLE = PlatformSchema.NAME + ".sf_schedule_runs";
    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS " + PlatformSchema.NAME,
            "REVOKE ALL ON SCHEMA " + PlatformSchema.NAME + " FROM PUBLIC",
            "CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (namespace TEXT NOT NULL, name TEXT NOT NULL, due TIMESTAMPTZ NOT NULL,"
                    + " outcome TEXT NOT NULL, message TEXT, finished TIMESTAMPTZ NOT NULL, runner TEXT NOT NULL, PRIMARY KEY (namespace, name))",
            "REVOKE ALL ON " + TABLE + " FROM PUBLIC");

    /** How a tick ended: completed, failed (message: the status and error) or skipped (message: why). */
    record LastRun(Instant due, String outcome, String message, Instant finished, String runner) {}

    private final RunnerDatabase database;
    private volatile boolean ready;

    ScheduleLedger(RunnerDatabase database) {
        this.database = database;
    }

    void record(String namespace, String name, LastRun run) throws SQLException {
        ensureTable();
        database.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO " + TABLE + " AS t (namespace, name, due, outcome, message, finished, runner)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, name) DO UPDATE SET due = excluded.due, outcome = excluded.outcome,"
                            + " message = excluded.message, finished = excluded.finished, runner = excluded.runner WHERE t.due <= excluded.due")) {
                st.setString(1, namespace);
                st.setString(2, name);
                st.setTimestamp(3, Timestamp.from(run.due()));
                st.setString(4, run.outcome());
                st.setString(5, run.message());
                st.setTimestamp(6, Timestamp.from(run.finished()));
                st.setString(7, run.runner());
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Every Script's last tick, by {@code namespace/name}. */
    Map<String, LastRun> all() throws SQLException {
        ensureTable();
        return database.inTransaction(c -> {
            Map<String, LastRun> runs = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement(
                            "SELECT namespace, name, due, outcome, message, finished, runner FROM " + TABLE);
                    ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runs.put(
                            rs.getString(1) + "/" + rs.getString(2),
                            new LastRun(
                                    rs.getTimestamp(3).toInstant(),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getString(7)));
                }
            }
            return runs;
        });
    }

    private void ensureTable() throws SQLException {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    database.createTables("the schedule table " + TABLE, DDL);
                    ready = true;
                }
            }
        }
    }
}
