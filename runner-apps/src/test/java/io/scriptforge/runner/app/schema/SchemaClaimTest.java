package io.scriptforge.runner.app.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.PlatformSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two Apps never share a schema, a role or anything stored in them, whatever their names; old schemas move with their data. */
class SchemaClaimTest {
    private final RunnerDatabase db = TestDatabase.shared();
    private final SchemaMigrator migrator = new SchemaMigrator();
    private static final AppManifest NOTES = TestManifests.withDatabase("""
            [{"cmd": "table", "name": "notes", "init": [
               {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
               {"cmd": "column", "name": "title", "type": "TEXT"}]}]""");

    @Test
    void appsWhoseNamesOnceCollidedKeepTheirRowsApart() throws Exception {
        AppSchema tenantA = AppSchema.of("claim-abuse-b", "notes");
        AppSchema tenantB = AppSchema.of("claim-abuse", "b-notes");
        migrator.migrate(db, tenantA, NOTES);
        migrator.migrate(db, tenantB, NOTES);
        update(tenantA, "INSERT INTO notes (title) VALUES ('a secret of tenant A')");
        update(tenantA, "INSERT INTO sf_sessions (key, runner, seen) VALUES ('" + "a".repeat(64) + "', 'r', now())");

        assertThat(query(tenantB, "SELECT count(*) FROM notes")).containsExactly("0");
        assertThat(query(tenantB, "SELECT count(*) FROM sf_sessions"))
                .as("tenant A's dbfiles keys")
                .containsExactly("0");
        assertThat(query(tenantB, "SELECT current_user"))
                .containsExactly(tenantB.name())
                .doesNotContain(tenantA.name());
        assertThatThrownBy(() -> query(tenantB, "SELECT title FROM " + tenantA.quoted() + ".notes"))
                .hasMessageContaining("permission denied for schema " + tenantA.name());
    }

    @Test
    void anAppWhoseNameIsAlreadyOwnedByAnotherIsRefusedAndTouchesNothing() throws Exception {
        AppSchema owner = AppSchema.of("claim-owner", "notes");
        migrator.migrate(db, owner, NOTES);
        update(owner, "INSERT INTO notes (title) VALUES ('the owner''s')");
        // As if a second pair hashed to the same name: its claim finds the row of another App.
        AppSchema impostor = new AppSchema("claim-impostor", "notes", owner.name());

        assertThatThrownBy(() -> migrator.migrate(db, impostor, NOTES))
                .isInstanceOf(SchemaClaim.SchemaTaken.class)
                .hasMessageContaining("app claim-impostor/notes: its database name " + owner.name()
                        + " belongs to App claim-owner/notes")
                .hasMessageContaining("rename one of the two Apps");
        assertThat(query(owner, "SELECT title FROM notes")).containsExactly("the owner's");
        assertThat(ownerOf(owner.name())).isEqualTo("claim-owner/notes");
    }

    @Test
    void aSchemaNamedTheOldWayMovesToTheNewNameWithItsRoleAndData() throws Exception {
        AppSchema schema = AppSchema.of("claim-legacy", "my-notes");
        String legacy = schema.legacyName();
        assertThat(legacy).isEqualTo("app_claim_legacy_my_notes");
        makeLegacySchema(legacy, "written before the upgrade");

        MigrationResult result = migrator.migrate(db, schema, NOTES);

        assertThat(result.changes())
                .contains(
                        "moved schema " + legacy + " to " + schema.name()
                                + " with its data (App names now map to database names one to one)",
                        "renamed role " + legacy + " to " + schema.name());
        assertThat(query(schema, "SELECT title FROM notes")).containsExactly("written before the upgrade");
        assertThat(query(schema, "SELECT current_user")).containsExactly(schema.name());
        assertThat(runnerQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + legacy + "'"))
                .containsExactly("0");
        assertThat(runnerQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + legacy + "'"))
                .containsExactly("0");
        assertThat(ownerOf(schema.name())).isEqualTo("claim-legacy/my-notes");

        assertThat(migrator.migrate(db, schema, NOTES).changes())
                .as("the second start")
                .isEmpty();
    }

    @Test
    void twoAppsThatSharedAnOldSchemaGetItOnceTheFirstKeepsTheDataTheOtherStartsEmpty() throws Exception {
        AppSchema first = AppSchema.of("claim-shared-a", "b");
        AppSchema second = AppSchema.of("claim-shared", "a-b");
        assertThat(first.legacyName()).isEqualTo(second.legacyName());
        makeLegacySchema(first.legacyName(), "rows of both");

        migrator.migrate(db, first, NOTES);
        migrator.migrate(db, second, NOTES);

        assertThat(query(first, "SELECT title FROM notes")).containsExactly("rows of both");
        assertThat(query(second, "SELECT count(*) FROM notes")).containsExactly("0");
        assertThat(ownerOf(first.name())).isEqualTo("claim-shared-a/b");
        assertThat(ownerOf(second.name())).isEqualTo("claim-shared/a-b");
    }

    /** What runners made before names were injective: schema, role owning it, a table with a row, an owner-less claim row. */
    private void makeLegacySchema(String legacy, String title) throws SQLException {
        db.platformSecret(); // the runners' own schema and its table of App schemas
        db.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE ROLE \"" + legacy + "\" NOLOGIN NOINHERIT");
                st.execute("GRANT \"" + legacy + "\" TO CURRENT_USER");
                st.execute("CREATE SCHEMA \"" + legacy + "\" AUTHORIZATION \"" + legacy + "\"");
                st.execute("SET LOCAL ROLE \"" + legacy + "\"");
                st.execute("CREATE TABLE \"" + legacy + "\".notes (id BIGSERIAL PRIMARY KEY, title TEXT)");
                st.execute("INSERT INTO \"" + legacy + "\".notes (title) VALUES ('" + title + "')");
                st.execute("RESET ROLE");
                st.execute("INSERT INTO " + PlatformSchema.APP_SCHEMAS + " (schema_name) VALUES ('" + legacy + "')");
            }
            return null;
        });
    }

    private String ownerOf(String name) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT app_namespace || '/' || app_name FROM "
                    + PlatformSchema.APP_SCHEMAS + " WHERE schema_name = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private List<String> runnerQuery(String sql) throws SQLException {
        return db.inTransaction(c -> rows(c.createStatement(), sql));
    }

    private List<String> query(AppSchema schema, String sql) throws SQLException {
        return db.inApp(schema, c -> rows(c.createStatement(), sql));
    }

    private void update(AppSchema schema, String sql) throws SQLException {
        db.inApp(schema, c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate(sql);
            }
        });
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        try (st;
                ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
