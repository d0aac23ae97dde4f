package io.scriptforge.runner.app.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An app's SQL, written by a hostile author, against the other apps and the platform: each app's
 * SQL runs logged in as its own role, which nothing lets it leave.
 */
class AppIsolationTest {
    private static final RunnerDatabase db = TestDatabase.shared();
    private static final AppSchema MINE = AppSchema.of("test", "isolated-mine");
    private static final AppSchema THEIRS = AppSchema.of("test", "isolated-theirs");
    private static final String THEIR_NOTES = THEIRS.quoted() + ".notes";
    private static final AppManifest NOTES = TestManifests.withDatabase("""
            [{"cmd": "table", "name": "notes", "init": [
               {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
               {"cmd": "column", "name": "title", "type": "TEXT"}]}]""");

    @BeforeAll
    static void twoApps() throws Exception {
        new SchemaMigrator().migrate(db, MINE, NOTES);
        new SchemaMigrator().migrate(db, THEIRS, NOTES);
        db.inApp(THEIRS, c -> c.createStatement().executeUpdate("INSERT INTO notes (title) VALUES ('their secret')"));
    }

    @Test
    void resettingTheRoleLeavesTheAppWhereItIs() throws Exception {
        assertThatThrownBy(() -> db.inApp(MINE, c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT set_config('role', 'none', true)");
                        return st.executeQuery("SELECT title FROM " + THEIR_NOTES);
                    }
                }))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for schema " + THEIRS.name());

        assertThat(query(MINE, "RESET ROLE; SET ROLE NONE; SELECT session_user || ' ' || current_user"))
                .containsExactly(MINE.name() + " " + MINE.name());
    }

    @Test
    void aFunctionTheAppWritesCannotResetItsWayOutEither() throws Exception {
        db.inApp(MINE, c -> c.createStatement().execute("""
                CREATE OR REPLACE FUNCTION peek() RETURNS TEXT LANGUAGE plpgsql AS $$
                BEGIN
                  RESET ROLE;
                  SET ROLE NONE;
                  RETURN (SELECT title FROM %s LIMIT 1);
                END $$""".formatted(THEIR_NOTES)));

        assertThatThrownBy(() -> query(MINE, "SELECT peek()"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for schema " + THEIRS.name());
    }

    @Test
    void theAppCannotBecomeTheRunnerNorIsItAMemberOfAnyRole() throws Exception {
        String runner = db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
                rs.next();
                return rs.getString(1);
            }
        });

        assertThatThrownBy(() -> query(MINE, "SET ROLE " + runner))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied to set role \"" + runner + "\"");
        assertThat(
                        query(
                                MINE,
                                "SELECT count(*) FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = session_user)"))
                .containsExactly("0");
        assertThat(
                        query(
                                MINE,
                                "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = session_user"))
                .containsExactly("f");
    }

    @Test
    void thePlatformsSecretIsOutOfTheAppsReach() {
        assertThatThrownBy(() -> query(MINE, "SELECT secret FROM scriptforge.sf_secret"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for schema scriptforge");
    }

    @Test
    void theAppCannotPlantObjectsInThePublicSchema() {
        assertThatThrownBy(() ->
                        query(MINE, "CREATE FUNCTION public.lower(x VARCHAR) RETURNS TEXT LANGUAGE sql AS 'SELECT x'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for schema public");
    }

    @Test
    void everyReplicaDerivesTheSameRolePassword() throws Exception {
        try (RunnerDatabase replica = TestDatabase.replica(2)) {
            assertThat(replica.platformSecret().rolePassword(MINE.name()))
                    .isEqualTo(db.platformSecret().rolePassword(MINE.name()))
                    .isNotEqualTo(db.platformSecret().rolePassword(THEIRS.name()))
                    .matches("[0-9a-f]{64}");
            assertThat(query(replica, MINE, "SELECT session_user")).containsExactly(MINE.name());
        }
    }

    /** The chart's PostgreSQL asks for passwords (SCRAM); the embedded one trusts, except for this app's role here. */
    @Test
    void theAppsRoleLogsInWithItsDerivedPasswordWhereTheServerAsksForOne() throws Exception {
        AppSchema scram = AppSchema.of("test", "isolated-scram");
        try (RunnerDatabase replica = TestDatabase.replica(2)) {
            new SchemaMigrator().migrate(replica, scram, NOTES);
            requirePasswordFor(scram.name());
            replica.closeApp(scram);

            assertThat(query(replica, scram, "SELECT session_user")).containsExactly(scram.name());
        }
    }

    @Test
    void whatAnAppListensToEndsWithItsTransaction() throws Exception {
        try (RunnerDatabase onePerApp = TestDatabase.replica(1)) {
            String pid = query(onePerApp, MINE, "LISTEN app_chatter; SELECT pg_backend_pid()")
                    .getFirst();
            onePerApp.inApp(MINE, c -> {
                c.createStatement().execute("LISTEN sneaky");
                c.commit();
                return null;
            });

            assertThat(query(onePerApp, MINE, "SELECT pg_backend_pid()"))
                    .as("the pool's one connection")
                    .containsExactly(pid);
            assertThat(query(onePerApp, MINE, "SELECT count(*) FROM pg_listening_channels()"))
                    .containsExactly("0");
        }
    }

    @Test
    void anAppsPoolClosedWhenTheAppGoesOpensAgainWhenNeeded() throws Exception {
        try (RunnerDatabase replica = TestDatabase.replica(1)) {
            String before = query(replica, MINE, "SELECT pg_backend_pid()").getFirst();

            replica.closeApp(MINE);

            assertThat(query(replica, MINE, "SELECT pg_backend_pid()").getFirst())
                    .isNotEqualTo(before);
        }
    }

    private static List<String> query(AppSchema schema, String sql) throws SQLException {
        return query(db, schema, sql);
    }

    /** The values of the first column of the last result of {@code sql} (which may be several statements). */
    private static List<String> query(RunnerDatabase database, AppSchema schema, String sql) throws SQLException {
        return database.inApp(schema, c -> {
            List<String> values = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                boolean rows = st.execute(sql);
                while (!rows && st.getUpdateCount() != -1) {
                    rows = st.getMoreResults();
                }
                for (boolean more = rows; more; more = st.getMoreResults()) {
                    values.clear();
                    try (ResultSet rs = st.getResultSet()) {
                        while (rs.next()) {
                            values.add(rs.getString(1));
                        }
                    }
                }
            }
            return values;
        });
    }

    /** Puts a SCRAM rule for {@code role} first in the server's pg_hba.conf, so its logins need the password. */
    private static void requirePasswordFor(String role) throws Exception {
        String hbaFile = db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SHOW hba_file")) {
                rs.next();
                return rs.getString(1);
            }
        });
        Path hba = Path.of(hbaFile);
        String rule = "host all " + role + " all scram-sha-256\n";
        String rules = Files.readString(hba, StandardCharsets.UTF_8);
        if (!rules.startsWith(rule)) {
            Files.writeString(hba, rule + rules, StandardCharsets.UTF_8);
        }
        db.inTransaction(c -> c.createStatement().execute("SELECT pg_reload_conf()"));
        // The server reloads in the background: wait until a wrong password is refused.
        SQLException refused = null;
        for (int attempt = 0; attempt < 100 && refused == null; attempt++) {
            try (Connection ignored = connectAs(role, "not-the-derived-password")) {
                Thread.sleep(100);
            } catch (SQLException e) {
                refused = e;
            }
        }
        assertThat((Throwable) refused)
                .as("a wrong password refused once the server reloaded its rules")
                .isNotNull()
                .hasMessageContaining("password authentication failed for user \"" + role + "\"");
    }

    private static Connection connectAs(String user, String password) throws SQLException {
        String url = ((HikariDataSource) db.dataSource()).getJdbcUrl().replaceAll("\\?.*", "");
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(url, props);
    }
}
