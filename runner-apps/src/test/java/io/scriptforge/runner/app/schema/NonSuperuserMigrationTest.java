package io.scriptforge.runner.app.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runners whose database user is no superuser, as in a cluster: one that may create roles (each app
 * then gets its own), one that may not (each app gets its own schema only). Both need CREATE on the
 * database; and, as the runners' own schema already exists here (made by the test's superuser), all
 * rights on it, as a cluster's runners have by creating it.
 */
class NonSuperuserMigrationTest {
    private static RunnerDatabase runner;
    private static RunnerDatabase plainRunner;

    @BeforeAll
    static void connectAsNonSuperusers() throws SQLException {
        runner = connectAs("sf_runner_createrole", "CREATEROLE");
        plainRunner = connectAs("sf_runner_plain", "NOCREATEROLE");
    }

    private static RunnerDatabase connectAs(String user, String createRole) throws SQLException {
        RunnerDatabase admin = TestDatabase.shared();
        admin.platformSecret();
        admin.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + user + "') THEN"
                        + " CREATE ROLE " + user + " LOGIN " + createRole + " PASSWORD 'runner'; END IF; END $$");
                st.execute("GRANT CREATE ON DATABASE postgres TO " + user);
                st.execute("GRANT ALL ON SCHEMA scriptforge TO " + user);
                st.execute("GRANT ALL ON ALL TABLES IN SCHEMA scriptforge TO " + user);
                st.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA scriptforge TO " + user);
            }
            return null;
        });
        String url = ((HikariDataSource) admin.dataSource()).getJdbcUrl().replaceAll("[?&]user=[^&]*", "");
        return new RunnerDatabase(new TestDatabase.Settings(
                Optional.of(url), Optional.of(user), Optional.of("runner"), false, Optional.empty(), 2, 2));
    }

    @AfterAll
    static void disconnect() {
        runner.close();
        plainRunner.close();
    }

    @Test
    void withoutTheRightToCreateRolesAppsGetASchemaOnly() throws Exception {
        AppSchema schema = AppSchema.of("test", "plain-user");
        var manifest = TestManifests.withDatabase("""
                [{"cmd": "table", "name": "notes", "init": [{"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"}]}]""");

        MigrationResult result = new SchemaMigrator().migrate(plainRunner, schema, manifest);

        assertThat(result.roleIsolated()).isFalse();
        assertThat(result.changes()).containsExactly("created schema app4_test_plain_user", "created table notes");
        int inserted =
                plainRunner.inApp(schema, c -> c.createStatement().executeUpdate("INSERT INTO notes DEFAULT VALUES"));
        assertThat(inserted).isEqualTo(1);
    }

    @Test
    void appsGetTheirOwnRoleAndStayApart() throws Exception {
        AppSchema mine = AppSchema.of("test", "createrole-mine");
        AppSchema theirs = AppSchema.of("test", "createrole-theirs");
        var manifest = TestManifests.withDatabase("""
                [{"cmd": "table", "name": "notes", "init": [{"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"}]}]""");

        MigrationResult result = new SchemaMigrator().migrate(runner, mine, manifest);
        new SchemaMigrator().migrate(runner, theirs, manifest);

        assertThat(runner.rolesAllowed()).isTrue();
        assertThat(result.roleIsolated()).isTrue();
        assertThat(result.changes())
                .contains(
                        "granted role app4_test_createrole_mine to the runner",
                        "role app4_test_createrole_mine logs in (the app's own connection pool)");
        long id = runner.inApp(mine, c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("INSERT INTO notes DEFAULT VALUES RETURNING id")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(id).isEqualTo(1);
        assertThatThrownBy(() -> runner.inApp(
                        mine, c -> c.createStatement().executeQuery("SELECT * FROM " + theirs.quoted() + ".notes")))
                .hasMessageContaining("permission denied for schema " + theirs.name());
        assertThat(new SchemaMigrator().migrate(runner, mine, manifest).changes())
                .isEmpty();
    }
}
