package io.scriptforge.runner.app.files;

import io.scriptforge.runner.app.schema.InternalTables;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh app schema with the platform's internal tables, as the schema migrator leaves it: its own
 * role (where the server allows roles) owning its own schema. Each call makes a new one, so tests
 * never see each other's rows.
 */
public final class TestAppSchemas {
    private TestAppSchemas() {
    }

    public static AppSchema fresh(RunnerDatabase db, String label) throws SQLException {
        AppSchema schema = AppSchema.of("test", label + "-" + UUID.randomUUID().toString().substring(0, 8));
        boolean roles = db.rolesAllowed();
        db.inTransaction(tx -> {
            try (Statement st = tx.createStatement()) {
                if (roles && !roleExists(tx, schema.name())) {
                    st.execute("CREATE ROLE " + schema.quoted() + " NOLOGIN");
                }
                st.execute("CREATE SCHEMA IF NOT EXISTS " + schema.quoted() + (roles ? " AUTHORIZATION " + schema.quoted() : ""));
            }
            return null;
        });
        db.inApp(schema, tx -> {
            try (Statement st = tx.createStatement()) {
                for (String ddl : InternalTables.DDL) {
                    st.execute(ddl);
                }
            }
            return null;
        });
        return schema;
    }

    /** How many rows {@code table} of the app holds. */
    public static long rows(RunnerDatabase db, AppSchema schema, String table) throws SQLException {
        return db.inApp(schema, tx -> {
            try (Statement st = tx.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static boolean roleExists(java.sql.Connection tx, String role) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
