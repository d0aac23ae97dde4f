package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Database.exec, insert and transaction: bound parameters, typed rows, commit and rollback, confined to the app. */
class AppServiceDatabaseTest {
    private static final String NOTES = """
            CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL, n INT, flag BOOLEAN, ratio DOUBLE PRECISION,
              at TIMESTAMPTZ, day DATE, big BIGINT, amount NUMERIC(10, 2), data JSONB)""";

    /** Routes that run what the query string says, so each test drives the database from JavaScript. */
    private static final String ROUTES = """
            WebServer.onrequest('add', async (req) => {
              const id = await Database.insert('INSERT INTO notes (text, n, flag, ratio, at, day, big, amount, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                req.query.text, 42, true, 0.5, new Date(Date.UTC(2024, 4, 6, 7, 8, 9)), '2024-05-06', '9007199254740993', 12.34,
                JSON.stringify({ tags: ['a'] }));
              return { body: { id } };
            });
            WebServer.onrequest('list', async () => ({ body: await Database.exec('SELECT * FROM notes ORDER BY id') }));
            WebServer.onrequest('count', async () => ({ body: await Database.exec('SELECT count(*)::int AS n FROM notes') }));
            WebServer.onrequest('find', async (req) => ({ body: await Database.exec('SELECT text FROM notes WHERE text = ?', req.query.text) }));
            """;

    @Test
    void insertResolvesToTheNewIdAndExecToRowsOfPlainValues() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-types")
                .schema(NOTES)
                .file("main.js", ROUTES)
                .start()) {
            long first = app.request("GET", "add", Map.of("text", List.of("hello")), Map.of(), null)
                    .json()
                    .path("id")
                    .asLong();
            assertThat(first).isPositive();

            JsonNode rows = app.getJson("list");

            assertThat(rows).hasSize(1);
            JsonNode row = rows.get(0);
            assertThat(row.path("id").asLong()).isEqualTo(first);
            assertThat(row.path("n").isInt()).isTrue();
            assertThat(row.path("n").asInt()).isEqualTo(42);
            assertThat(row.path("flag").isBoolean()).isTrue();
            assertThat(row.path("ratio").asDouble()).isEqualTo(0.5);
            assertThat(row.path("at").asText()).isEqualTo("2024-05-06T07:08:09Z");
            assertThat(row.path("day").asText()).isEqualTo("2024-05-06");
            // beyond 2^53 a JavaScript number would lose the last digit: such integers come as strings
            assertThat(row.path("big").isTextual()).isTrue();
            assertThat(row.path("big").asText()).isEqualTo("9007199254740993");
            assertThat(row.path("amount").asDouble()).isEqualTo(12.34);
            assertThat(row.path("data").toString()).isEqualTo("{\"tags\":[\"a\"]}");
        }
    }

    @Test
    void valuesAreBoundAsParametersNeverSplicedIntoTheSql() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-params")
                .schema(NOTES)
                .file("main.js", ROUTES)
                .start()) {
            String hostile = "x'); DROP TABLE notes; --";
            app.request("GET", "add", Map.of("text", List.of(hostile)), Map.of(), null);

            JsonNode found = app.request("GET", "find", Map.of("text", List.of(hostile)), Map.of(), null)
                    .json();

            assertThat(found).hasSize(1);
            assertThat(found.get(0).path("text").asText()).isEqualTo(hostile);
            assertThat(app.rows("SELECT count(*) AS n FROM " + app.table("notes"))
                            .getFirst()
                            .get("n"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void aTransactionCommitsWhenItsFunctionResolves() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-commit")
                .schema(NOTES)
                .file("main.js", """
                WebServer.onrequest('both', async () => {
                  const result = await Database.transaction(async (tx) => {
                    const id = await tx.insert('INSERT INTO notes (text) VALUES (?)', 'one');
                    await tx.exec('INSERT INTO notes (text, n) VALUES (?, ?)', 'two', id);
                    return id;
                  });
                  return { body: { result } };
                });""")
                .start()) {
            long id = app.getJson("both").path("result").asLong();

            List<Map<String, Object>> rows = app.rows("SELECT text, n FROM " + app.table("notes") + " ORDER BY id");
            assertThat(rows).extracting(r -> r.get("text")).containsExactly("one", "two");
            assertThat(((Number) rows.get(1).get("n")).longValue()).isEqualTo(id);
        }
    }

    @Test
    void aTransactionRollsBackWhenItsFunctionRejectsAndTheErrorReachesTheCaller() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-rollback")
                .schema(NOTES)
                .file("main.js", """
                WebServer.onrequest('fail', async () => {
                  try {
                    await Database.transaction(async (tx) => {
                      await tx.insert('INSERT INTO notes (text) VALUES (?)', 'one');
                      await tx.exec('INSERT INTO notes (text) VALUES (?)', 'two');
                      throw new Error('changed my mind');
                    });
                    return 'committed?';
                  } catch (e) {
                    return { status: 409, body: e.message };
                  }
                });
                WebServer.onrequest('late', async () => {
                  let keep;
                  await Database.transaction(async (tx) => { keep = tx; });
                  try { await keep.exec('SELECT 1'); return 'ran'; } catch (e) { return e.message; }
                });""")
                .start()) {
            ServiceFixture.Response answer = app.get("fail");

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.text()).isEqualTo("changed my mind");
            assertThat(app.rows("SELECT * FROM " + app.table("notes"))).isEmpty();
            assertThat(app.get("late").text()).startsWith("the transaction is over");
        }
    }

    @Test
    void aFailedStatementRollsItsTransactionBackEvenWhenTheFunctionCaughtIt() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-caught")
                .schema(NOTES)
                .file("main.js", """
                WebServer.onrequest('swallow', async () => {
                  try {
                    await Database.transaction(async (tx) => {
                      await tx.insert('INSERT INTO notes (text) VALUES (?)', 'one');
                      try { await tx.exec('INSERT INTO notes (text) VALUES (NULL)'); } catch (e) { /* ignored */ }
                    });
                    return 'committed';
                  } catch (e) {
                    return { status: 409, body: e.message };
                  }
                });""")
                .start()) {
            ServiceFixture.Response answer = app.get("swallow");

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.text())
                    .startsWith("the transaction was rolled back: a statement in it failed")
                    .contains("null value in column \"text\"");
            assertThat(app.rows("SELECT * FROM " + app.table("notes"))).isEmpty();
        }
    }

    @Test
    void aFailingQueryRejectsWithTheServersMessageAndSqlStateAlsoInTheSeedsCallbackStyle() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("db-errors")
                .schema(NOTES)
                .schema("CREATE TABLE tags (name TEXT)")
                .file("main.js", """
                WebServer.onrequest('missing', async () => {
                  try { await Database.exec('SELECT * FROM nope'); return 'found?'; }
                  catch (e) { return { body: { message: e.message, code: e.code } }; }
                });
                WebServer.onrequest('seed', () => new Promise((resolve) => {
                  Database.exec('SELECT 1 AS one')
                    .oncomplete((rows) => {
                      Database.exec('SELECT * FROM nope')
                        .oncomplete(() => resolve('found?'))
                        .onerror((error, text, code) => resolve({ body: { one: rows[0].one, text, code } }));
                    })
                    .onerror((error) => resolve('failed: ' + error.message));
                }));
                WebServer.onrequest('noid', async () => {
                  try { await Database.insert('INSERT INTO tags (name) VALUES (?)', 'x'); return 'inserted?'; } catch (e) { return e.message; }
                });
                WebServer.onrequest('badvalue', async () => {
                  try { await Database.exec('SELECT ?', { an: 'object' }); return 'ran?'; } catch (e) { return e.name + ': ' + e.message; }
                });""")
                .start()) {
            JsonNode missing = app.getJson("missing");
            assertThat(missing.path("message").asText()).startsWith("relation \"nope\" does not exist");
            assertThat(missing.path("code").asText()).isEqualTo("42P01");

            JsonNode seed = app.getJson("seed");
            assertThat(seed.path("one").asInt()).isEqualTo(1);
            assertThat(seed.path("text").asText()).startsWith("relation \"nope\" does not exist");
            assertThat(seed.path("code").asText()).isEqualTo("42P01");

            assertThat(app.get("noid").text())
                    .startsWith("column \"id\" does not exist")
                    .contains(
                            "Database.insert answers the new row's id column; for a table without one use Database.exec");
            assertThat(app.get("badvalue").text())
                    .isEqualTo("TypeError: Database.exec: value 1 is a object; "
                            + "pass a string, number, boolean or null (JSON.stringify an object to store it)");
        }
    }

    @Test
    void queriesReachOnlyTheAppsOwnSchema() throws Exception {
        ServiceFixture.createSchema(
                io.scriptforge.runner.db.AppSchema.of("test", "db-other"),
                List.of("CREATE TABLE secrets (value TEXT)", "INSERT INTO secrets VALUES ('hidden')"));
        try (ServiceFixture app = ServiceFixture.app("db-confined")
                .schema(NOTES)
                .file("main.js", """
                WebServer.onrequest('peek', async () => {
                  try { return { body: await Database.exec('SELECT value FROM app4_test_db_other.secrets') }; }
                  catch (e) { return { status: 403, body: e.message }; }
                });""")
                .start()) {
            ServiceFixture.Response answer = app.get("peek");

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.text()).startsWith("permission denied for schema app4_test_db_other");
        }
    }

    @Test
    void atMostTenThousandOperationsWaitForTheirResults() throws Exception {
        // 10,001 calls in one handler take seconds on a cold, busy JVM: a limit that only stops real runaways
        try (ServiceFixture app = ServiceFixture.app("db-flood")
                .callTimeout(java.time.Duration.ofSeconds(60))
                .file("main.js", """
                WebServer.onrequest('flood', async () => {
                  const outcomes = {};
                  try {
                    await Database.transaction(async (tx) => {
                      // after the first failure the rest are refused without reaching the server: cheap to queue
                      const all = [];
                      for (let i = 0; i < 10001; i++) all.push(tx.exec('SELECT broken').catch((e) => e.name));
                      for (const name of await Promise.all(all)) outcomes[name] = (outcomes[name] || 0) + 1;
                    });
                  } catch (e) {
                    outcomes.transaction = e.message.slice(0, 60);
                  }
                  return { body: outcomes };
                });""")
                .start()) {
            JsonNode outcomes = app.getJson("flood");

            assertThat(outcomes.path("Error").asInt()).isEqualTo(10_000);
            assertThat(outcomes.path("RangeError").asInt()).isEqualTo(1);
            assertThat(outcomes.path("transaction").asText())
                    .startsWith("the transaction was rolled back: a statement in it failed");
        }
    }
}
