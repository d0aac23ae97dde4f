package io.scriptforge.runner.app.session;

import io.scriptforge.runner.app.files.DownloadGrant;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.Sql;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The dbfiles keys of the live sessions of an app, in its schema (sf_sessions), so an upload may
 * reach any replica, not only the one holding the WebSocket. A replica refreshes its sessions while
 * they live; a key not refreshed for {@link #STALE_AFTER_SECONDS} (its runner died) is refused.
 */
public final class LiveSessions {
    public static final int REFRESH_SECONDS = 60;
    static final int STALE_AFTER_SECONDS = 3 * REFRESH_SECONDS;

    private final RunnerDatabase database;
    private final String runnerId;

    public LiveSessions(RunnerDatabase database, String runnerId) {
        this.database = database;
        this.runnerId = runnerId;
    }

    public void add(AppSchema schema, String dbfilesKey) throws SQLException {
        database.inApp(
                schema,
                c -> Sql.update(
                        c,
                        "INSERT INTO sf_sessions (key, download_ref, runner, seen) VALUES (?, ?, ?, now())"
                                + " ON CONFLICT (key) DO UPDATE SET download_ref = EXCLUDED.download_ref, runner = EXCLUDED.runner, seen = now()",
                        dbfilesKey,
                        DownloadGrant.sessionRef(dbfilesKey),
                        runnerId));
    }

    public void remove(AppSchema schema, String dbfilesKey) throws SQLException {
        database.inApp(schema, c -> Sql.update(c, "DELETE FROM sf_sessions WHERE key = ?", dbfilesKey));
    }

    public void refresh(AppSchema schema, Collection<String> dbfilesKeys) throws SQLException {
        if (dbfilesKeys.isEmpty()) {
            return;
        }
        database.inApp(
                schema,
                c -> Sql.update(
                        c,
                        "UPDATE sf_sessions SET seen = now() WHERE key = ANY (?)",
                        c.createArrayOf("text", dbfilesKeys.toArray())));
    }

    /** Whether a live session of the app, on any replica, has the download reference {@code sessionRef}. */
    public boolean isLiveDownloadRef(AppSchema schema, String sessionRef) throws SQLException {
        return sessionRef != null && sessionRef.matches("[0-9a-f]{32}") && live(schema, "download_ref", sessionRef);
    }

    /** Whether {@code dbfilesKey} belongs to a live session of the app, on any replica. */
    public boolean isLive(AppSchema schema, String dbfilesKey) throws SQLException {
        return dbfilesKey != null
                && dbfilesKey.matches("[0-9a-fA-F]{64}")
                && live(schema, "key", dbfilesKey.toLowerCase(java.util.Locale.ROOT));
    }

    /** @param column one of this class's own column names, never a caller's text */
    private boolean live(AppSchema schema, String column, String value) throws SQLException {
        return database.inApp(
                schema,
                c -> Sql.exists(
                        c,
                        "SELECT 1 FROM sf_sessions WHERE " + column
                                + " = ? AND seen > now() - make_interval(secs => ?)",
                        value,
                        STALE_AFTER_SECONDS));
    }
}
