package io.scriptforge.runner.app.files;

import io.scriptforge.runner.app.schema.SchemaChangeRefused;
import io.scriptforge.runner.app.schema.SchemaMigrator;
import io.scriptforge.runner.app.schema.TestManifests;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
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
    private TestAppSchemas() {}

    public static AppSchema fresh(RunnerDatabase db, String label) throws SQLException {
        AppSchema schema =
                AppSchema.of("test", label + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            // The migrator makes the app's role (able to log in, as RunnerDatabase.inApp needs) and its internal
            // tables.
            new SchemaMigrator().migrate(db, schema, TestManifests.withDatabase("[]"));
        } catch (SchemaChangeRefused e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return schema;
    }

    /** How many rows {@code table} of the app holds. */
    public static long rows(RunnerDatabase db, AppSchema schema, String table) throws SQLException {
        return db.inApp(schema, tx -> {
            try (Statement st = tx.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
