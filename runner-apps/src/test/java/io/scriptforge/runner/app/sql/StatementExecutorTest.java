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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.Test;

class StatementExecutorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunnerDatabase db = TestDatabase.shared();
    private final StatementExecutor executor = new StatementExecutor(db);
    private final SessionVariables session = new SessionVariables(
            new SessionIdentity("notes", "example.com", "alice", "Alice", "guid-alice", Set.of("owner")));

    private static final AppManifest MANIFEST = TestManifests.withDatabase("""
            [{"cmd": "table", "name": "notes", "init": [
               {"cmd": "column", "name": "id", "type": "BIGSERIAL PRIMARY KEY"},
               {"cmd": "column", "name": "sip", "type": "TEXT NOT NULL"},
               {"cmd": "column", "name": "title", "type": "TEXT"},
               {"cmd": "constraint", "name": "notes_title_unique", "def": "UNIQUE (title)"}]},
             {"cmd": "table", "name": "tags", "init": [{"cmd": "column", "name": "label", "type": "TEXT"}]},
             {"cmd": "sequence", "name": "fetched"},
             {"cmd": "statement", "name": "add", "query": "INSERT INTO notes (sip, title) VALUES (%s, %s)",
              "args": {"@sip": {"type": "string"}, "title": {"type": "string"}}},
             {"cmd": "statement", "name": "add-returning-title", "query": "INSERT INTO notes (sip, title) VALUES ('bob', %s) RETURNING title",
              "args": {"title": {"type": "string"}}},
             {"cmd": "statement", "name": "tag", "query": "INSERT INTO tags (label) VALUES (%s)", "args": {"label": {"type": "string"}}},
             {"cmd": "statement", "name": "titles", "query": "SELECT id, title FROM notes WHERE sip = %s ORDER BY id",
              "args": {"@sip": {"type": "string"}}},
             {"cmd": "statement", "name": "count", "query": "SELECT nextval('fetched') AS fetched, n FROM generate_series(1, %i) AS n",
              "args": {"n": {"type": "int"}}},
             {"cmd": "statement", "name": "types", "query": "SELECT 1::int4 AS i, 9007199254740993::int8 AS l, 12.50::numeric AS d, true AS b, 'x'::text AS t, TIMESTAMPTZ '2024-05-06 07:08:09.5+00' AS ts, TIMESTAMP '2024-05-06 07:08:00' AS local, DATE '2024-05-06' AS day, '\\\\x0102ff'::bytea AS bin, NULL::text AS nothing, 'a9f3e5b2-1111-4222-8333-444455556666'::uuid AS u"},
             {"cmd": "statement", "name": "sleep", "query": "SELECT pg_sleep(5)"}]""");

    private AppSchema migrated(String name) throws Exception {
        AppSchema schema = AppSchema.of("test", name);
        new SchemaMigrator().migrate(db, schema, MANIFEST);
        return schema;
    }

    private BoundStatement bound(String name, String argsJson) throws Exception {
        return StatementBinder.bind(
                MANIFEST.statements().get(name).getFirst(),
                argsJson == null ? null : (ObjectNode) JSON.readTree(argsJson),
                session);
    }

    private List<ObjectNode> rows(AppSchema schema, String name, String argsJson) throws Exception {
        List<ObjectNode> rows = new ArrayList<>();
        executor.exec(schema, bound(name, argsJson), rows::add);
        return rows;
    }

    @Test
    void anInsertAnswersTheNewRowsId() throws Exception {
        AppSchema schema = migrated("exec-insert-id");
        StatementResult first = executor.insert(schema, bound("add", "{\"title\": \"one\"}"));
        StatementResult second = executor.insert(schema, bound("add", "{\"title\": \"two\"}"));
        assertThat(first.id().asLong()).isPositive();
        assertThat(second.id().asLong()).isEqualTo(first.id().asLong() + 1);
        assertThat(second.rows()).isEqualTo(1);
        assertThat(rows(schema, "titles", null))
                .extracting(r -> r.get("title").asText())
                .containsExactly("one", "two");
    }

    @Test
    void anInsertIntoATableWithoutIdSaysSoAndSuggestsSqlExec() throws Exception {
        AppSchema schema = migrated("exec-insert-no-id");
        assertThatThrownBy(() -> executor.insert(schema, bound("tag", "{\"label\": \"red\"}")))
                .isInstanceOf(StatementFailed.class)
                .hasMessage(
                        "statement 'tag' has no id to answer: SqlInsert returns the new row's id, so its table needs an id column"
                                + " (e.g. id BIGSERIAL PRIMARY KEY); use SqlExec for statements on tables without one");
        assertThat(executor.exec(schema, bound("tag", "{\"label\": \"red\"}"), row -> {})
                        .rows())
                .isZero();
        assertThatThrownBy(() -> executor.insert(schema, bound("add-returning-title", "{\"title\": \"t\"}")))
                .isInstanceOf(StatementFailed.class)
                .hasMessageStartingWith("statement 'add-returning-title' has no id to answer");
    }

    @Test
    void anSqlInjectionAttemptInAStringArgStaysAValue() throws Exception {
        AppSchema schema = migrated("exec-injection");
        String attack = "x'); DROP TABLE notes; --";
        executor.insert(
                schema,
                bound("add", JSON.createObjectNode().put("title", attack).toString()));
        assertThat(rows(schema, "titles", null))
                .extracting(r -> r.get("title").asText())
                .containsExactly(attack);
    }

    @Test
    void rowsAreStreamedToASlowSinkInOrderAndNotFetchedAllAtOnce() throws Exception {
        AppSchema schema = migrated("exec-stream");
        SynchronousQueue<ObjectNode> handOver = new SynchronousQueue<>();
        List<Long> fetchedWhenFirstRowArrived = new ArrayList<>();
        List<Integer> received = new ArrayList<>();
        Thread client = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 5000; i++) {
                    ObjectNode row = handOver.take();
                    if (i == 0) {
                        // Another connection sees how far the sequence got: how many rows were produced so far.
                        fetchedWhenFirstRowArrived.add(db.inApp(schema, c -> {
                            try (Statement st = c.createStatement();
                                    ResultSet rs = st.executeQuery("SELECT last_value FROM fetched")) {
                                rs.next();
                                return rs.getLong(1);
                            }
                        }));
                    }
                    received.add(row.get("n").asInt());
                    if (i % 500 == 0) {
                        Thread.sleep(20); // a client that is slow now and then
                    }
                }
            } catch (InterruptedException | SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        StatementResult result = executor.exec(schema, bound("count", "{\"n\": 5000}"), handOver::put);
        client.join();

        assertThat(result.rows()).isEqualTo(5000);
        assertThat(received).hasSize(5000).isSorted().startsWith(1).endsWith(5000);
        assertThat(fetchedWhenFirstRowArrived)
                .singleElement()
                .satisfies(n -> assertThat(n).isLessThanOrEqualTo(StatementExecutor.FETCH_SIZE));
    }

    @Test
    void rowValuesKeepTheirJsonTypes() throws Exception {
        AppSchema schema = migrated("exec-types");
        ObjectNode row = rows(schema, "types", null).getFirst();
        assertThat(row)
                .hasToString(
                        "{\"i\":1,\"l\":9007199254740993,\"d\":12.50,\"b\":true,\"t\":\"x\",\"ts\":\"2024-05-06T07:08:09.5Z\","
                                + "\"local\":\"2024-05-06T07:08:00\",\"day\":\"2024-05-06\",\"bin\":\"AQL/\",\"nothing\":null,\"u\":\"a9f3e5b2-1111-4222-8333-444455556666\"}");
    }

    @Test
    void aRefusedStatementFailsWithPostgresqlsOwnMessage() throws Exception {
        AppSchema schema = migrated("exec-failure");
        executor.insert(schema, bound("add", "{\"title\": \"same\"}"));
        assertThatThrownBy(() -> executor.insert(schema, bound("add", "{\"title\": \"same\"}")))
                .isInstanceOf(StatementFailed.class)
                .hasMessage("duplicate key value violates unique constraint \"notes_title_unique\"")
                .satisfies(e -> assertThat(((StatementFailed) e).sqlState()).isEqualTo("23505"));
    }

    @Test
    void aStatementRunningLongerThanTheTimeoutIsCancelled() throws Exception {
        AppSchema schema = migrated("exec-timeout");
        StatementExecutor impatient = new StatementExecutor(db, Duration.ofMillis(200));
        assertThatThrownBy(() -> impatient.exec(schema, bound("sleep", null), row -> {}))
                .isInstanceOf(StatementFailed.class)
                .hasMessage("canceling statement due to statement timeout");
    }

    @Test
    void theHookRunsInTheStatementsTransaction() throws Exception {
        AppSchema schema = migrated("exec-hook");
        List<StatementResult> seen = new ArrayList<>();
        executor.insert(schema, bound("add", "{\"title\": \"kept\"}"), (tx, result) -> seen.add(result));
        assertThatThrownBy(() -> executor.insert(schema, bound("add", "{\"title\": \"undone\"}"), (tx, result) -> {
                    throw new SQLException("publishing failed");
                }))
                .isInstanceOf(StatementFailed.class)
                .hasMessage("publishing failed");

        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.statement().name()).isEqualTo("add");
            assertThat(r.obj()).hasToString("{\"@sip\":\"alice\",\"title\":\"kept\"}");
            assertThat(r.id().asLong()).isPositive();
        });
        assertThat(rows(schema, "titles", null))
                .extracting(r -> r.get("title").asText())
                .containsExactly("kept");
    }
}
