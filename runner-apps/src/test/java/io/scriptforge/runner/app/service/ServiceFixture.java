package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.crd.InitCommand;
import io.scriptforge.crd.InitList;
import io.scriptforge.crd.JavascriptSpec;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifestException;
import io.scriptforge.manifest.AppManifestParser;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.syntax.LocatedError;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One app's service under test: its manifest (built the way the runner builds it), a fake backend
 * over the real embedded PostgreSQL, and helpers to talk to it.
 */
final class ServiceFixture implements AutoCloseable {
    /** One engine for the test JVM, as the runner has one. */
    static final JsEngine ENGINE = new JsEngine();

    static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a wait for something that must happen, never a measurement. */
    static final long WAIT_SECONDS = 30;

    final AppManifest manifest;
    final FakeBackend backend;
    final AppService service;

    private ServiceFixture(AppManifest manifest, FakeBackend backend, Duration callTimeout) {
        this.manifest = manifest;
        this.backend = backend;
        this.service = new AppService(ENGINE, manifest, backend, callTimeout);
        backend.service = service;
    }

    /** Builds the app; start it with {@link #start()} (or call service.start() to see it fail). */
    static Builder app(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private final Map<String, String> files = new LinkedHashMap<>();
        private final List<String> eval = new ArrayList<>();
        private final List<InitCommand> config = new ArrayList<>();
        private final List<String> schemaSql = new ArrayList<>();
        private Duration callTimeout = Duration.ofSeconds(5);

        private Builder(String name) {
            this.name = name;
        }

        /** A file of the app, evaluated in the order given. */
        Builder file(String path, String code) {
            files.put(path, code);
            eval.add(path);
            return this;
        }

        /** A file of the app that is not in the eval list by itself. */
        Builder extraFile(String path, String code) {
            files.put(path, code);
            return this;
        }

        /** The eval list as config.json writes it (replacing the files' own order). */
        Builder eval(String... entries) {
            eval.clear();
            eval.addAll(List.of(entries));
            return this;
        }

        /** A config item: {"cmd": "item", "name": ..., ...fields}. */
        Builder configItem(String itemName, String fieldsJson) {
            InitCommand item = new InitCommand();
            item.setCmd("item");
            item.setName(itemName);
            try {
                JSON.readTree(fieldsJson).properties().forEach(e -> item.setField(e.getKey(), e.getValue()));
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
            config.add(item);
            return this;
        }

        /** SQL run as the app's role in its schema before the service starts (e.g. CREATE TABLE). */
        Builder schema(String sql) {
            schemaSql.add(sql);
            return this;
        }

        Builder callTimeout(Duration timeout) {
            callTimeout = timeout;
            return this;
        }

        /** The service, not started. */
        ServiceFixture build() {
            App app = new App();
            app.setMetadata(
                    new ObjectMetaBuilder().withNamespace("test").withName(name).build());
            AppSpec spec = new AppSpec();
            spec.setFiles(files);
            JavascriptSpec javascript = new JavascriptSpec();
            javascript.setEval(eval);
            spec.setJavascript(javascript);
            InitList configList = new InitList();
            configList.setInit(config);
            spec.setConfig(configList);
            app.setSpec(spec);
            AppManifest manifest;
            try {
                manifest = AppManifestParser.parse(app, "secret", null, true);
            } catch (AppManifestException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            AppSchema schema = AppSchema.of("test", name);
            createSchema(schema, schemaSql);
            return new ServiceFixture(manifest, new FakeBackend(schema, manifest), callTimeout);
        }

        /** Built and started. */
        ServiceFixture start() throws LocatedError {
            ServiceFixture fixture = build();
            fixture.service.start();
            return fixture;
        }
    }

    /** The app's schema and role, created afresh by the runner's schema migrator, then the test's own SQL in it. */
    static void createSchema(AppSchema schema, List<String> sql) {
        RunnerDatabase db = TestDatabase.shared();
        try {
            db.inTransaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema.quoted() + " CASCADE");
                }
                return null;
            });
            new io.scriptforge.runner.app.schema.SchemaMigrator()
                    .migrate(db, schema, io.scriptforge.runner.app.schema.TestManifests.withDatabase("[]"));
            db.inApp(schema, c -> {
                try (Statement st = c.createStatement()) {
                    for (String statement : sql) {
                        st.execute(statement);
                    }
                }
                return null;
            });
        } catch (SQLException | io.scriptforge.runner.app.schema.SchemaChangeRefused e) {
            throw new IllegalStateException(e);
        }
    }

    ServiceFixture start() throws LocatedError {
        service.start();
        return this;
    }

    /** The WebServer answer to a request, waited for. */
    Response request(
            String method, String path, Map<String, List<String>> query, Map<String, String> headers, String body) {
        Optional<CompletableFuture<ServiceResponse>> answer = service.request(new ServiceRequest(
                method, path, query, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
        assertThat(answer).as("a handler for " + path).isPresent();
        try {
            return new Response(answer.get().get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("no answer to " + method + " " + path + ": " + e, e);
        }
    }

    Response get(String path) {
        return request("GET", path, Map.of(), Map.of(), null);
    }

    /** The JSON body of GET path, which must answer 200. */
    JsonNode getJson(String path) {
        Response response = get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** A rows query run as the test (superuser), outside the app. */
    List<Map<String, Object>> rows(String sql) {
        try {
            return TestDatabase.shared().inTransaction(c -> {
                List<Map<String, Object>> rows = new ArrayList<>();
                try (Statement st = c.createStatement();
                        var rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String table(String name) {
        return backend.schema().quoted() + "." + name;
    }

    static ObjectNode message(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        service.close();
    }

    record Response(ServiceResponse raw) {
        int status() {
            return raw.status();
        }

        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String header(String name) {
            return raw.headers().get(name);
        }
    }
}
