package io.scriptforge.runner.app.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.app.schema.SchemaMigrator;
import io.scriptforge.runner.app.schema.TestManifests;
import io.scriptforge.runner.app.session.SessionIdentity;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatementRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AppManifest MANIFEST = TestManifests.withDatabase("""
            [{"cmd": "table", "name": "folders", "init": [
               {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
               {"cmd": "column", "name": "sip", "type": "TEXT NOT NULL"},
               {"cmd": "column", "name": "name", "type": "TEXT NOT NULL"}]},
             {"cmd": "table", "name": "notes", "init": [
               {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
               {"cmd": "column", "name": "folder", "type": "BIGINT NOT NULL REFERENCES folders (id)"},
               {"cmd": "column", "name": "title", "type": "TEXT"}]},
             {"cmd": "statement", "name": "new-folder", "query": "INSERT INTO folders (sip, name) VALUES (%s, %s)",
              "args": {"@sip": {"type": "string"}, "name": {"type": "string"}}, "return": "folder", "monitor": "folders"},
             {"cmd": "statement", "name": "open-folder", "query": "SELECT id FROM folders WHERE sip = %s AND name = %s",
              "args": {"@sip": {"type": "string"}, "name": {"type": "string"}}, "return": "folder"},
             {"cmd": "statement", "name": "add-note", "query": "INSERT INTO notes (folder, title) VALUES (%llu, %s)",
              "args": {"@folder": {"type": "ulong64"}, "title": {"type": "string"}}},
             {"cmd": "statement", "name": "notes", "query": "SELECT title FROM notes WHERE folder = %llu ORDER BY id",
              "args": {"@folder": {"type": "ulong64"}}},
             {"cmd": "statement", "name": "notes", "mode": "owner.admin", "query": "SELECT title || ' (admin view)' AS title FROM notes ORDER BY id"}]""");

    private final RunnerDatabase db = TestDatabase.shared();
    private final StatementRunner runner = new StatementRunner(new StatementExecutor(db));
    private final StatementCatalog catalog = new StatementCatalog(MANIFEST);
    private final AppSchema schema = AppSchema.of("test", "runner");
    private final SessionVariables alice = session("alice", "owner");

    private static SessionVariables session(String sip, String... modes) {
        return new SessionVariables(
                new SessionIdentity("notes", "example.com", sip, sip, "guid-" + sip, Set.of(modes)));
    }

    @BeforeEach
    void migrate() throws Exception {
        new SchemaMigrator().migrate(db, schema, MANIFEST);
        db.inApp(schema, c -> c.createStatement().executeUpdate("TRUNCATE notes, folders"));
    }

    private StatementResult insert(SessionVariables session, String name, String args) throws Exception {
        return runner.insert(schema, catalog, name, (ObjectNode) JSON.readTree(args), session, TransactionHook.NONE);
    }

    private List<String> titles(SessionVariables session) throws Exception {
        List<String> titles = new ArrayList<>();
        runner.exec(
                schema,
                catalog,
                "notes",
                null,
                session,
                TransactionHook.NONE,
                row -> titles.add(row.get("title").asText()));
        return titles;
    }

    @Test
    void anInsertsReturnedIdIsUsedByTheSessionsLaterStatements() throws Exception {
        StatementResult folder = insert(alice, "new-folder", "{\"name\": \"inbox\"}");
        insert(alice, "add-note", "{\"title\": \"first\", \"@folder\": 999}");

        assertThat(alice.get("folder")).contains(folder.id());
        assertThat(titles(alice)).containsExactly("first");
    }

    @Test
    void anExecReturnsTheFirstColumnOfItsFirstRow() throws Exception {
        StatementResult created = insert(alice, "new-folder", "{\"name\": \"inbox\"}");
        SessionVariables sameUserElsewhere = session("alice", "owner");

        runner.exec(
                schema,
                catalog,
                "open-folder",
                (ObjectNode) JSON.readTree("{\"name\": \"inbox\"}"),
                sameUserElsewhere,
                TransactionHook.NONE,
                row -> {});

        assertThat(sameUserElsewhere.get("folder")).contains(created.id());
    }

    @Test
    void anExecWithoutRowsForgetsTheReturnedValue() throws Exception {
        insert(alice, "new-folder", "{\"name\": \"inbox\"}");
        runner.exec(
                schema,
                catalog,
                "open-folder",
                (ObjectNode) JSON.readTree("{\"name\": \"missing\"}"),
                alice,
                TransactionHook.NONE,
                row -> {});

        assertThat(alice.get("folder")).isEmpty();
        assertThatThrownBy(() -> insert(alice, "add-note", "{\"title\": \"lost\"}"))
                .isInstanceOf(BadArgument.class)
                .hasMessage("no value for @folder yet: run the statement that returns it first");
    }

    @Test
    void theSessionsModesPickTheVariant() throws Exception {
        insert(alice, "new-folder", "{\"name\": \"inbox\"}");
        insert(alice, "add-note", "{\"title\": \"first\"}");
        SessionVariables admin = session("root", "owner", "admin");

        assertThat(titles(admin)).containsExactly("first (admin view)");
    }

    @Test
    void theResultCarriesTheStatementAndItsEffectiveArgsForMonitoring() throws Exception {
        StatementResult result = insert(alice, "new-folder", "{\"name\": \"inbox\", \"@sip\": \"mallory\"}");

        assertThat(result.statement().monitor()).isEqualTo("folders");
        assertThat(result.obj()).hasToString("{\"@sip\":\"alice\",\"name\":\"inbox\"}");
    }

    @Test
    void anUnknownStatementIsRefusedBeforeTheDatabaseIsAsked() {
        assertThatThrownBy(() -> insert(alice, "drop-everything", "{}"))
                .isInstanceOf(StatementRefused.class)
                .hasMessageStartingWith("no statement 'drop-everything' (known: ");
    }
}
