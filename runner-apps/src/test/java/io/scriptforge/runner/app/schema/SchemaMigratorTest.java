package io.scriptforge.runner.app.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
    private final RunnerDatabase db = TestDatabase.shared();
    private final SchemaMigrator migrator = new SchemaMigrator();

    private static final String NOTES = """
            {"cmd": "table", "name": "notes", "init": [
              {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
              {"cmd": "column", "name": "sip", "type": "VARCHAR(100) NOT NULL"},
              {"cmd": "column", "name": "title", "type": "TEXT"},
              {"cmd": "constraint", "name": "notes_title_set", "def": "CHECK (title <> '')"},
              {"cmd": "index", "name": "notes_sip", "columns": "sip, id"}]}""";

    private static AppManifest manifest(String... commands) {
        return TestManifests.withDatabase("[" + String.join(",", commands) + "]");
    }

    @Test
    void createsSchemaRoleTablesIndexesAndSequences() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-create");
        MigrationResult result = migrator.migrate(db, schema, manifest(NOTES, """
                {"cmd": "sequence", "name": "ticket_numbers"}"""));

        assertThat(result.version()).isEqualTo(1);
        assertThat(result.roleIsolated()).isTrue();
        assertThat(result.changes())
                .contains(
                        "created schema app4_test_migrate_create",
                        "created role app4_test_migrate_create",
                        "created sequence ticket_numbers",
                        "created table notes",
                        "created index notes_sip on notes");
        assertThat(query(
                        schema,
                        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'notes'"))
                .containsExactly("app4_test_migrate_create");
        assertThat(query(schema, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"))
                .containsExactly("notes", "sf_config", "sf_dbfiles", "sf_dbfiles_chunks", "sf_schema", "sf_sessions");
        assertThat(
                        query(
                                schema,
                                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'notes' ORDER BY 1"))
                .containsExactly("notes_pkey", "notes_sip");
        assertThat(query(schema, "SELECT nextval('ticket_numbers')")).containsExactly("1");
        assertThatThrownBy(() -> update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', '')"))
                .hasMessageContaining("notes_title_set");
    }

    @Test
    void applyingTheSameManifestAgainChangesNothingAndKeepsTheData() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-again");
        migrator.migrate(db, schema, manifest(NOTES));
        update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', 'first')");

        MigrationResult again = migrator.migrate(db, schema, manifest(NOTES));

        assertThat(again.version()).isEqualTo(1);
        assertThat(again.changes()).isEmpty();
        assertThat(query(schema, "SELECT title FROM notes")).containsExactly("first");
    }

    @Test
    void aNewColumnIsAddedToTheExistingTableAndRowsKeepTheirValues() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-add-column");
        migrator.migrate(db, schema, manifest(NOTES));
        update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', 'first')");

        MigrationResult result = migrator.migrate(db, schema, manifest(NOTES, """
                {"cmd": "column", "table": "notes", "name": "pinned", "type": "BOOLEAN NOT NULL DEFAULT false"}"""));

        assertThat(result.version()).isEqualTo(2);
        assertThat(result.changes()).containsExactly("added column notes.pinned");
        assertThat(query(schema, "SELECT title || ' ' || pinned FROM notes")).containsExactly("first false");
    }

    @Test
    void aNewIndexAndConstraintAreAddedToTheExistingTable() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-add-index");
        migrator.migrate(db, schema, manifest(NOTES));

        MigrationResult result = migrator.migrate(db, schema, manifest(NOTES, """
                {"cmd": "index", "table": "notes", "name": "notes_title", "columns": "title", "unique": true}""", """
                {"cmd": "constraint", "table": "notes", "name": "notes_sip_short", "def": "CHECK (length(sip) < 50)"}"""));

        assertThat(result.changes())
                .containsExactly(
                        "added constraint notes_sip_short on notes", "created unique index notes_title on notes");
        update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', 'same')");
        assertThatThrownBy(() -> update(schema, "INSERT INTO notes (sip, title) VALUES ('bob', 'same')"))
                .hasMessageContaining("notes_title");
        assertThatThrownBy(() ->
                        update(schema, "INSERT INTO notes (sip, title) VALUES ('" + "b".repeat(60) + "', 'other')"))
                .hasMessageContaining("notes_sip_short");
    }

    @Test
    void aColumnNoLongerDeclaredIsRefusedAndNothingIsApplied() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-drop-column");
        migrator.migrate(db, schema, manifest(NOTES));
        update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', 'keep me')");
        String withoutTitle = NOTES.replace("""
                  {"cmd": "column", "name": "title", "type": "TEXT"},
                """, "").replace("""
                  {"cmd": "constraint", "name": "notes_title_set", "def": "CHECK (title <> '')"},
                """, "");

        assertThatThrownBy(() -> migrator.migrate(db, schema, manifest(withoutTitle, """
                {"cmd": "table", "name": "extra", "init": [{"cmd": "column", "name": "id", "type": "INT"}]}""")))
                .isInstanceOf(SchemaChangeRefused.class)
                .hasMessageContaining("table 'notes', column 'title' is no longer declared")
                .hasMessageContaining("declare it again (type 'TEXT')")
                .hasMessageContaining("ALTER TABLE app4_test_migrate_drop_column.notes DROP COLUMN title");
        assertThat(query(schema, "SELECT title FROM notes")).containsExactly("keep me");
        assertThat(query(
                        schema,
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'extra'"))
                .isEmpty();
        assertThat(query(schema, "SELECT version FROM sf_schema")).containsExactly("1");
    }

    @Test
    void aTableNoLongerDeclaredIsRefusedUntilItIsDroppedFromTheDatabase() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-drop-table");
        String other = """
                {"cmd": "table", "name": "tags", "init": [{"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"}]}""";
        migrator.migrate(db, schema, manifest(NOTES, other));

        assertThatThrownBy(() -> migrator.migrate(db, schema, manifest(other)))
                .isInstanceOf(SchemaChangeRefused.class)
                .hasMessageContaining("table 'notes' is no longer declared, but it still holds the app's data")
                .hasMessageContaining("DROP TABLE app4_test_migrate_drop_table.notes");

        update(schema, "DROP TABLE notes");
        MigrationResult result = migrator.migrate(db, schema, manifest(other));
        assertThat(result.version()).isEqualTo(2);
    }

    @Test
    void aChangedColumnTypeIsRefusedButCaseAndSpacingAreNotChanges() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-type");
        migrator.migrate(db, schema, manifest(NOTES));

        MigrationResult respelled = migrator.migrate(
                db, schema, manifest(NOTES.replace("VARCHAR(100) NOT NULL", "varchar (100) not null")));
        assertThat(respelled.changes()).isEmpty();

        assertThatThrownBy(() -> migrator.migrate(
                        db, schema, manifest(NOTES.replace("VARCHAR(100) NOT NULL", "VARCHAR(50) NOT NULL"))))
                .isInstanceOf(SchemaChangeRefused.class)
                .hasMessageContaining(
                        "table 'notes', column 'sip': its type changed from 'varchar (100) not null' to 'VARCHAR(50) NOT NULL'")
                .hasMessageContaining("declare a new column of the new type");
    }

    @Test
    void aNotNullColumnWithoutDefaultOnAFilledTableFailsNamingTheStep() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-not-null");
        migrator.migrate(db, schema, manifest(NOTES));
        update(schema, "INSERT INTO notes (sip, title) VALUES ('alice', 'first')");

        assertThatThrownBy(() -> migrator.migrate(db, schema, manifest(NOTES, """
                {"cmd": "column", "table": "notes", "name": "owner", "type": "TEXT NOT NULL"}""")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ALTER TABLE \"notes\" ADD COLUMN \"owner\" TEXT NOT NULL failed")
                .hasMessageContaining("needs a DEFAULT");
        assertThat(query(schema, "SELECT version FROM sf_schema")).containsExactly("1");
    }

    @Test
    void anIndexNoLongerDeclaredIsDropped() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-drop-index");
        migrator.migrate(db, schema, manifest(NOTES));

        MigrationResult result = migrator.migrate(db, schema, manifest(NOTES.replace("""
                ,
                  {"cmd": "index", "name": "notes_sip", "columns": "sip, id"}""", "")));

        assertThat(result.changes()).containsExactly("dropped index notes_sip on notes");
        assertThat(query(
                        schema,
                        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'notes'"))
                .containsExactly("notes_pkey");
    }

    @Test
    void anAppsSqlCannotReadAnotherAppsTables() throws Exception {
        AppSchema mine = AppSchema.of("test", "isolation-mine");
        AppSchema theirs = AppSchema.of("test", "isolation-theirs");
        migrator.migrate(db, mine, manifest(NOTES));
        migrator.migrate(db, theirs, manifest(NOTES));
        update(theirs, "INSERT INTO notes (sip, title) VALUES ('bob', 'secret')");

        assertThatThrownBy(() -> query(mine, "SELECT title FROM " + theirs.quoted() + ".notes"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for schema app4_test_isolation_theirs");
        assertThat(query(mine, "SELECT count(*) FROM notes")).containsExactly("0");
    }

    @Test
    void runnersMigratingTheSameAppAtOnceTakeTurns() throws Exception {
        AppSchema schema = AppSchema.of("test", "migrate-race");
        AppManifest manifest = manifest(NOTES);
        Callable<MigrationResult> migrate = () -> migrator.migrate(db, schema, manifest);
        List<MigrationResult> results = new ArrayList<>();
        try (ExecutorService runners = Executors.newFixedThreadPool(3)) {
            List<Future<MigrationResult>> futures = runners.invokeAll(List.of(migrate, migrate, migrate));
            for (Future<MigrationResult> future : futures) {
                results.add(future.get());
            }
        }
        assertThat(results).extracting(MigrationResult::version).containsOnly(1);
        List<String> changes =
                results.stream().flatMap(r -> r.changes().stream()).toList();
        assertThat(changes)
                .as("each change made by one runner only")
                .doesNotHaveDuplicates()
                .contains("created role app4_test_migrate_race", "created table notes");
    }

    private List<String> query(AppSchema schema, String sql) throws SQLException {
        return db.inApp(schema, c -> {
            List<String> values = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        });
    }

    private void update(AppSchema schema, String sql) throws SQLException {
        db.inApp(schema, c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate(sql);
            }
        });
    }
}
