package io.scriptforge.runner.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The runners' own schema, {@code scriptforge}: the platform secret, the app schemas the runners
 * manage (whose rows serialize migrations), large event payloads, and the Scripts' key-value store
 * ({@code sf_kv}, made by {@link io.scriptforge.runner.kv.KvStore} on first use). Only the runners' database
 * user may use it: PUBLIC, and so every app's role, has no right on it. Being out of the apps'
 * reach is what makes its row locks and contents trustworthy; an advisory lock, for instance,
 * any app could take.
 */
public final class PlatformSchema {
    public static final String NAME = "scriptforge";
    /** One row per app schema, with the App owning it; migrations of one app lock its row. */
    public static final String APP_SCHEMAS = NAME + ".sf_app_schemas";
    /** Events too large for a NOTIFY; the notification carries the row's id. */
    public static final String EVENT_PAYLOADS = NAME + ".sf_event_payloads";

    static final String SECRET = NAME + ".sf_secret";

    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS " + NAME,
            // New schemas grant PUBLIC nothing; said anyway, as it is what keeps the apps out.
            "REVOKE ALL ON SCHEMA " + NAME + " FROM PUBLIC",
            "CREATE TABLE IF NOT EXISTS " + SECRET
                    + " (id INT PRIMARY KEY DEFAULT 1 CHECK (id = 1), secret TEXT NOT NULL,"
                    + " created TIMESTAMPTZ NOT NULL DEFAULT now())",
            "REVOKE ALL ON " + SECRET + " FROM PUBLIC",
            // The App owning each name (null in rows written before owners were recorded).
            "CREATE TABLE IF NOT EXISTS " + APP_SCHEMAS
                    + " (schema_name TEXT PRIMARY KEY, app_namespace TEXT, app_name TEXT)",
            "CREATE TABLE IF NOT EXISTS " + EVENT_PAYLOADS + " (id BIGSERIAL PRIMARY KEY,"
                    + " created TIMESTAMPTZ NOT NULL DEFAULT now(), message TEXT NOT NULL)");

    private PlatformSchema() {}

    /** Creates what is missing. Two replicas doing it at once may collide in the catalog: the caller retries. */
    static void ensure(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
            addOwnerColumns(st);
        } catch (SQLException e) {
            throw new SQLException(
                    "the runners' own schema '" + NAME + "' cannot be prepared: " + e.getMessage()
                            + " (the runners' database user needs CREATE on the database, and must own that schema or be granted all on it and its tables)",
                    e.getSQLState(),
                    e);
        }
    }

    /**
     * Tables made before owners were recorded get the columns. Only when missing: even with IF NOT EXISTS,
     * ALTER TABLE needs the table's owner, and a runner user granted all on it is not.
     */
    private static void addOwnerColumns(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                + NAME + "' AND table_name = 'sf_app_schemas' AND column_name IN ('app_namespace', 'app_name')")) {
            if (rs.next() && rs.getInt(1) == 2) {
                return;
            }
        }
        st.execute("ALTER TABLE " + APP_SCHEMAS + " ADD COLUMN IF NOT EXISTS app_namespace TEXT");
        st.execute("ALTER TABLE " + APP_SCHEMAS + " ADD COLUMN IF NOT EXISTS app_name TEXT");
    }

    /** Whether {@code e} is a concurrent CREATE ... IF NOT EXISTS of the same object by another replica. */
    public static boolean isCreationRace(SQLException e) {
        return switch (String.valueOf(e.getSQLState())) {
            case "23505", "42P06", "42P07", "42710" -> true;
            // Two sessions changing the same catalog row at once (e.g. both revoking on a new table): retry.
            case "XX000" -> String.valueOf(e.getMessage()).contains("tuple concurrently updated");
            default -> false;
        };
    }
}
