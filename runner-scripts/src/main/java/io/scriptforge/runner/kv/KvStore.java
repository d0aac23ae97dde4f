package io.scriptforge.runner.kv;

import io.scriptforge.runner.db.PlatformSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.SqlWork;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A key-value store per namespace, in the runners' own schema ({@code scriptforge.sf_kv}), so every
 * replica sees the same data and no app role can read it. Values are JSON (stored as jsonb). A key
 * may expire: an expired key is absent to every call, and its row is deleted lazily (by the call
 * that finds it) and by a periodic purge. The table is created on first use, so a runner whose
 * scripts never use the store never connects for it.
 */
public final class KvStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KvStore.class);
    public static final String TABLE = PlatformSchema.NAME + ".sf_kv";
    public static final int MAX_KEY_CHARS = 512;
    public static final int MAX_VALUE_BYTES = 1 << 20;
    public static final int MAX_KEYS = 1000;
    private static final int QUERY_TIMEOUT_SECONDS = 10;
    private static final int PURGE_BATCH = 10_000;
    private static final String LIVE = "(expires_at IS NULL OR expires_at > now())";

    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS " + PlatformSchema.NAME,
            "REVOKE ALL ON SCHEMA " + PlatformSchema.NAME + " FROM PUBLIC",
            "CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (namespace TEXT NOT NULL, key TEXT NOT NULL, value JSONB NOT NULL,"
                    + " expires_at TIMESTAMPTZ NULL, PRIMARY KEY (namespace, key))",
            "REVOKE ALL ON " + TABLE + " FROM PUBLIC",
            "CREATE INDEX IF NOT EXISTS sf_kv_expires ON " + TABLE + " (expires_at) WHERE expires_at IS NOT NULL");

    private final RunnerDatabase database;
    private volatile boolean ready;
    private ScheduledThreadPoolExecutor purger;

    public KvStore(RunnerDatabase database) {
        this.database = database;
    }

    /** The key's value as JSON text, if it is set and not expired. */
    public Optional<String> get(String namespace, String key) throws SQLException {
        check(namespace, key);
        return run(c -> {
            try (PreparedStatement st =
                    prepare(c, "SELECT value::text, " + LIVE + " FROM " + TABLE + " WHERE namespace = ? AND key = ?")) {
                st.setString(1, namespace);
                st.setString(2, key);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    if (rs.getBoolean(2)) {
                        return Optional.of(rs.getString(1));
                    }
                }
            }
            deleteIfExpired(c, namespace, key);
            return Optional.empty();
        });
    }

    /**
     * Sets the key to {@code json}, replacing any value and expiry.
     *
     * @param ttl how long the key lives, or null for no expiry; at least a millisecond
     */
    public void set(String namespace, String key, String json, Duration ttl) throws SQLException {
        check(namespace, key);
        if (json == null) {
            throw new KvException("kv.set('" + shown(key) + "'): the value must be JSON, got nothing");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new KvException("kv.set('" + shown(key) + "'): the value is " + bytes + " bytes of JSON, more than "
                    + MAX_VALUE_BYTES);
        }
        if (ttl != null && ttl.toMillis() < 1) {
            throw new KvException("kv.set('" + shown(key) + "'): the ttl must be positive, got " + ttl);
        }
        run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "INSERT INTO " + TABLE + " (namespace, key, value, expires_at)"
                            + " VALUES (?, ?, ?::jsonb, now() + CAST(? AS bigint) * interval '1 millisecond')"
                            + " ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at")) {
                st.setString(1, namespace);
                st.setString(2, key);
                st.setString(3, json);
                if (ttl == null) {
                    st.setNull(4, Types.BIGINT);
                } else {
                    st.setLong(4, ttl.toMillis());
                }
                st.executeUpdate();
            } catch (SQLException e) {
                if (String.valueOf(e.getSQLState())
                        .startsWith("22")) { // data exception: not JSON, or a \u0000 jsonb refuses
                    throw new KvException(
                            "kv.set('" + shown(key) + "'): the value cannot be stored: " + e.getMessage());
                }
                throw e;
            }
            return null;
        });
    }

    /**
     * Adds {@code by} to the key's integer value and returns the sum, atomically across replicas. A
     * missing or expired key counts from 0 (and has no expiry); a live key keeps its expiry.
     *
     * @throws KvException when the value is not an integer, or the sum leaves the 64-bit range
     */
    public long incr(String namespace, String key, long by) throws SQLException {
        check(namespace, key);
        try {
            return run(c -> {
                String expired = "(t.expires_at IS NOT NULL AND t.expires_at <= now())";
                String integer =
                        "(CASE WHEN jsonb_typeof(t.value) = 'number' THEN t.value::numeric = trunc(t.value::numeric) ELSE false END)";
                try (PreparedStatement st = prepare(
                        c,
                        "INSERT INTO " + TABLE + " AS t (namespace, key, value) VALUES (?, ?, to_jsonb(?::bigint))"
                                + " ON CONFLICT (namespace, key) DO UPDATE SET"
                                + " value = CASE WHEN " + expired + " THEN EXCLUDED.value"
                                + " WHEN " + integer
                                + " THEN to_jsonb((t.value::numeric + ?)::bigint) ELSE t.value END,"
                                + " expires_at = CASE WHEN " + expired + " THEN NULL ELSE t.expires_at END"
                                + " RETURNING value::text, CASE WHEN jsonb_typeof(value) = 'number' THEN value::numeric = trunc(value::numeric) ELSE false END")) {
                    st.setString(1, namespace);
                    st.setString(2, key);
                    st.setLong(3, by);
                    st.setLong(4, by);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        String value = rs.getString(1);
                        if (!rs.getBoolean(2)) { // left as it was: the transaction rolls back
                            throw new KvException("kv.incr('" + shown(key) + "'): the value is not an integer: "
                                    + abbreviated(value));
                        }
                        return Long.parseLong(value);
                    }
                }
            });
        } catch (SQLException e) {
            if ("22003".equals(e.getSQLState())) {
                throw new KvException("kv.incr('" + shown(key) + "'): the result is out of the 64-bit integer range");
            }
            throw e;
        }
    }

    /** Removes the key; true when it was set (and not expired). */
    public boolean delete(String namespace, String key) throws SQLException {
        check(namespace, key);
        return run(c -> {
            try (PreparedStatement st =
                    prepare(c, "DELETE FROM " + TABLE + " WHERE namespace = ? AND key = ? RETURNING " + LIVE)) {
                st.setString(1, namespace);
                st.setString(2, key);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    /** The namespace's live keys starting with {@code prefix} (all when empty), in code point order, at most {@code limit} (≤ {@link #MAX_KEYS}). */
    public List<String> keys(String namespace, String prefix, int limit) throws SQLException {
        checkNamespace(namespace);
        String p = prefix == null ? "" : prefix;
        if (p.length() > MAX_KEY_CHARS) {
            throw new KvException("kv.keys: the prefix is " + p.length() + " characters, more than " + MAX_KEY_CHARS);
        }
        int n = Math.max(0, Math.min(limit, MAX_KEYS));
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "SELECT key FROM " + TABLE + " WHERE namespace = ? AND starts_with(key, ?) AND " + LIVE
                            + " ORDER BY key COLLATE \"C\" LIMIT ?")) {
                st.setString(1, namespace);
                st.setString(2, p);
                st.setInt(3, n);
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                return keys;
            }
        });
    }

    /** Deletes expired keys (at most a batch); returns how many. */
    public int purgeExpired() throws SQLException {
        return run(c -> {
            try (PreparedStatement st = prepare(
                    c,
                    "DELETE FROM " + TABLE + " WHERE ctid IN (SELECT ctid FROM " + TABLE
                            + " WHERE expires_at <= now() LIMIT " + PURGE_BATCH + ")")) {
                return st.executeUpdate();
            }
        });
    }

    /** Purges expired keys every {@code period}, once the store has been used on this runner. */
    public synchronized void startPurging(Duration period) {
        if (purger != null) {
            return;
        }
        purger = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("scriptforge-kv-purge").factory());
        purger.scheduleWithFixedDelay(
                () -> {
                    if (!ready) {
                        return;
                    }
                    try {
                        int purged = purgeExpired();
                        if (purged > 0) {
                            LOG.debugf("purged %d expired kv keys", purged);
                        }
                    } catch (SQLException | RuntimeException e) {
                        LOG.warnf("purging expired kv keys failed: %s", e.getMessage());
                    }
                },
                period.toMillis(),
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (purger != null) {
            purger.shutdownNow();
            purger = null;
        }
    }

    private void deleteIfExpired(Connection c, String namespace, String key) throws SQLException {
        try (PreparedStatement st =
                prepare(c, "DELETE FROM " + TABLE + " WHERE namespace = ? AND key = ? AND expires_at <= now()")) {
            st.setString(1, namespace);
            st.setString(2, key);
            st.executeUpdate();
        }
    }

    private <T> T run(SqlWork<T> work) throws SQLException {
        if (!database.available()) {
            throw new KvException("kv is not available: " + database.unavailableReason());
        }
        ensureTable();
        return database.inTransaction(work);
    }

    private void ensureTable() throws SQLException {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (!ready) {
                database.createTables("the kv table " + TABLE, DDL);
                ready = true;
            }
        }
    }

    private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        return st;
    }

    private static void checkNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw new KvException("kv: no namespace");
        }
    }

    private static void check(String namespace, String key) {
        checkNamespace(namespace);
        if (key == null || key.isEmpty()) {
            throw new KvException("kv: the key must be a non-empty string");
        }
        if (key.length() > MAX_KEY_CHARS) {
            throw new KvException(
                    "kv: the key '" + shown(key) + "' is " + key.length() + " characters, more than " + MAX_KEY_CHARS);
        }
        if (key.indexOf('\0') >= 0) {
            throw new KvException("kv: the key '" + shown(key) + "' contains a NUL character");
        }
    }

    private static String shown(String key) {
        return abbreviated(key);
    }

    private static String abbreviated(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
