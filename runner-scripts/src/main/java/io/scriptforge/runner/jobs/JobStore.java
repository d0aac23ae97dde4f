package io.scriptforge.runner.jobs;

import io.scriptforge.runner.db.PlatformSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The jobs of every namespace, in the runners' own schema ({@code scriptforge.sf_jobs}), where every
 * replica sees them and no app role can. The row is the truth about a job; db-scheduler only decides
 * which replica runs it when. Every state change is one conditional UPDATE (or a row lock), so two
 * replicas, or a cancel racing a completion, never both win.
 */
public final class JobStore {
    public static final String TABLE = PlatformSchema.NAME + ".sf_jobs";
    public static final int MAX_LIST = 1000;
    private static final int QUERY_TIMEOUT_SECONDS = 10;
    /** A delayed job whose time has come waits for a runner: clients see it as such. */
    private static final String SHOWN_STATE =
            "CASE WHEN state = 'delayed' AND run_after <= now() THEN 'waiting' ELSE state END";

    private static final String COLUMNS =
            "id, namespace, script_name, script_uuid, data::text, " + SHOWN_STATE + ", attempts, max_attempts,"
                    + " backoff_ms, progress::text, result::text, error::text, created_at, started_at, finished_at, updated_at, run_after, runner";

    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS " + PlatformSchema.NAME,
            "REVOKE ALL ON SCHEMA " + PlatformSchema.NAME + " FROM PUBLIC",
            "CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (id UUID PRIMARY KEY, namespace TEXT NOT NULL, script_name TEXT NOT NULL,"
                    + " script_uuid TEXT NOT NULL, data JSONB NULL,"
                    + " state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'failed', 'cancelled', 'delayed')),"
                    + " attempts INT NOT NULL DEFAULT 0, max_attempts INT NOT NULL, backoff_ms BIGINT NOT NULL, progress JSONB NULL,"
                    + " result JSONB NULL, error JSONB NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), started_at TIMESTAMPTZ NULL,"
                    + " finished_at TIMESTAMPTZ NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), run_after TIMESTAMPTZ NOT NULL,"
                    + " runner TEXT NULL)",
            "REVOKE ALL ON " + TABLE + " FROM PUBLIC",
            "CREATE INDEX IF NOT EXISTS sf_jobs_created ON " + TABLE + " (created_at DESC)",
            "CREATE INDEX IF NOT EXISTS sf_jobs_script ON " + TABLE + " (script_uuid, created_at DESC)");

    /** What starting an attempt found. */
    public sealed interface Start {
        /** Run it: {@code attempt} is counted already. */
        record Run(Job job, int attempt) implements Start {}

        /** Nothing to run: cancelled, finished, or failed now because no attempt was left. */
        record Skip(String why) implements Start {}
    }

    /** What a failed attempt leads to. */
    public sealed interface AfterFailure {
        record Retry(Duration after) implements AfterFailure {}

        record Failed() implements AfterFailure {}

        /** The job was no longer this attempt's (cancelled meanwhile): nothing stored. */
        record Gone() implements AfterFailure {}
    }

    private final RunnerDatabase database;
    private volatile boolean ready;

    public JobStore(RunnerDatabase database) {
        this.database = database;
    }

    /** @param dataJson the script's data, or null for none (then it gets its vars alone, as a request without a body) */
    public Job insert(String namespace, String name, String uuid, String dataJson, JobOptions options)
            throws SQLException {
        UUID id = UUID.randomUUID();
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "INSERT INTO " + TABLE + " (id, namespace, script_name, script_uuid, data, state,"
                            + " max_attempts, backoff_ms, run_after) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, now() + CAST(? AS bigint) * interval '1 millisecond')"
                            + " RETURNING " + COLUMNS)) {
                st.setObject(1, id);
                st.setString(2, namespace);
                st.setString(3, name);
                st.setString(4, uuid);
                st.setString(5, dataJson);
                st.setString(6, (options.delay().isZero() ? JobState.WAITING : JobState.DELAYED).wireName());
                st.setInt(7, options.attempts());
                st.setLong(8, options.backoff().toMillis());
                st.setLong(9, options.delay().toMillis());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return job(rs);
                }
            } catch (SQLException e) {
                if (String.valueOf(e.getSQLState())
                        .startsWith("22")) { // data exception: jsonb refuses the text (a \u0000)
                    throw new JobException("the job's data cannot be stored: " + e.getMessage());
                }
                throw e;
            }
        });
    }

    public Optional<Job> find(UUID id) throws SQLException {
        return run(c -> Optional.ofNullable(find(c, id, false)));
    }

    /**
     * The queue view, newest first.
     *
     * @param uuids only the jobs of these Scripts (those the asking runner serves)
     * @param state only jobs in this state as shown, or null for all
     */
    public List<Job> list(List<String> uuids, JobState state, int limit) throws SQLException {
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE script_uuid = ANY (?)"
                            + (state == null ? "" : " AND " + SHOWN_STATE + " = ?")
                            + " ORDER BY created_at DESC, id LIMIT ?")) {
                st.setArray(1, c.createArrayOf("text", uuids.toArray()));
                int i = 2;
                if (state != null) {
                    st.setString(i++, state.wireName());
                }
                st.setInt(i, Math.max(1, Math.min(limit, MAX_LIST)));
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(job(rs));
                    }
                }
                return jobs;
            }
        });
    }

    /**
     * Starts the next attempt: counted before any code runs, so an attempt whose runner dies is never
     * free. A job that was active already lost its runner in the middle of an attempt; when that was
     * its last attempt it fails now, with that said.
     */
    public Start begin(UUID id, String runner) throws SQLException {
        return run(c -> {
            Job job = find(c, id, true);
            if (job == null) {
                return new Start.Skip("job " + id + " is gone");
            }
            if (job.state().finished()) {
                return new Start.Skip("job " + id + " is " + job.state().wireName());
            }
            if (job.attempts() >= job.maxAttempts()) {
                String error =
                        "{\"code\":500,\"reason\":\"Internal Server Error\",\"message\":\"runner stopped during attempt "
                                + job.attempts() + " ("
                                + (job.runner() == null
                                        ? "unknown runner"
                                        : job.runner().replace("\"", "")) + ")\"}";
                update(c, id, "state = 'failed', error = ?::jsonb, finished_at = now()", error);
                return new Start.Skip("job " + id + " had no attempt left after its runner stopped");
            }
            try (PreparedStatement st = prepare(
                    c,
                    "UPDATE " + TABLE + " SET state = 'active', attempts = attempts + 1, started_at = now(),"
                            + " updated_at = now(), runner = ? WHERE id = ?")) {
                st.setString(1, runner);
                st.setObject(2, id);
                st.executeUpdate();
            }
            return new Start.Run(job, job.attempts() + 1);
        });
    }

    /** Stores the result of {@code attempt}; false when the job is no longer that attempt's (cancelled): then nothing is stored. */
    public boolean complete(UUID id, int attempt, String resultJson) throws SQLException {
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "UPDATE " + TABLE + " SET state = 'completed', result = ?::jsonb, finished_at = now(),"
                            + " updated_at = now() WHERE id = ? AND state = 'active' AND attempts = ?")) {
                if (resultJson == null) {
                    st.setNull(1, Types.VARCHAR);
                } else {
                    st.setString(1, resultJson);
                }
                st.setObject(2, id);
                st.setInt(3, attempt);
                return st.executeUpdate() == 1;
            }
        });
    }

    /** Keeps the error of {@code attempt}; the job waits for its next attempt if one is left, else it failed. */
    public AfterFailure fail(UUID id, int attempt, String errorJson) throws SQLException {
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "UPDATE " + TABLE + " SET error = ?::jsonb, updated_at = now(),"
                            + " state = CASE WHEN attempts < max_attempts THEN 'delayed' ELSE 'failed' END,"
                            + " finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,"
                            + " run_after = CASE WHEN attempts < max_attempts THEN now() + CAST(? AS bigint) * interval '1 millisecond' ELSE run_after END"
                            + " WHERE id = ? AND state = 'active' AND attempts = ? RETURNING state")) {
                Job job = find(c, id, false);
                long wait = job == null
                        ? 0
                        : JobOptions.backoffAfter(job.backoffMillis(), attempt).toMillis();
                st.setString(1, errorJson);
                st.setLong(2, wait);
                st.setObject(3, id);
                st.setInt(4, attempt);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return new AfterFailure.Gone();
                    }
                    return rs.getString(1).equals("delayed")
                            ? new AfterFailure.Retry(Duration.ofMillis(wait))
                            : new AfterFailure.Failed();
                }
            }
        });
    }

    /**
     * Cancels a job that has not finished. Returns the job as it was before (its state says what to stop:
     * the scheduled execution, or the running attempt), or empty when there is no such job.
     *
     * @throws JobException when the job finished already
     */
    public Optional<Job> cancel(UUID id) throws SQLException {
        return run(c -> {
            Job job = find(c, id, true);
            if (job == null) {
                return Optional.empty();
            }
            if (job.state().finished()) {
                throw new JobException("job " + id + " is " + job.state().wireName()
                        + " already: only a waiting, delayed or active job can be cancelled");
            }
            update(c, id, "state = 'cancelled', finished_at = now()", null);
            return Optional.of(job);
        });
    }

    /** Sets the progress of the running {@code attempt}; false when the job is not running that attempt. */
    public boolean progress(UUID id, int attempt, String json) throws SQLException {
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "UPDATE " + TABLE + " SET progress = ?::jsonb, updated_at = now()"
                            + " WHERE id = ? AND state = 'active' AND attempts = ?")) {
                st.setString(1, json);
                st.setObject(2, id);
                st.setInt(3, attempt);
                return st.executeUpdate() == 1;
            }
        });
    }

    /** @param lock holds the row until the transaction ends, so the caller's decision and update are one step */
    private Job find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement st =
                prepare(c, "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? job(rs) : null;
            }
        }
    }

    private void update(Connection c, UUID id, String set, String arg) throws SQLException {
        try (PreparedStatement st =
                prepare(c, "UPDATE " + TABLE + " SET " + set + ", updated_at = now() WHERE id = ?")) {
            int i = 1;
            if (arg != null) {
                st.setString(i++, arg);
            }
            st.setObject(i, id);
            st.executeUpdate();
        }
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                JobState.parse(rs.getString(6)).orElseThrow(),
                rs.getInt(7),
                rs.getInt(8),
                rs.getLong(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)),
                instant(rs.getTimestamp(15)),
                instant(rs.getTimestamp(16)),
                instant(rs.getTimestamp(17)),
                rs.getString(18));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private <T> T run(SqlWork<T> work) throws SQLException {
        if (!database.available()) {
            throw new SQLException("jobs need the runners' PostgreSQL: " + database.unavailableReason());
        }
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    database.createTables("the jobs table " + TABLE, DDL);
                    ready = true;
                }
            }
        }
        return database.inTransaction(work);
    }

    private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        return st;
    }
}
