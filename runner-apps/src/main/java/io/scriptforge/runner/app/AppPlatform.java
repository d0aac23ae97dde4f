package io.scriptforge.runner.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.app.config.ConfigStore;
import io.scriptforge.runner.app.events.AppEvents;
import io.scriptforge.runner.app.files.DbFilesStore;
import io.scriptforge.runner.app.schema.MigrationResult;
import io.scriptforge.runner.app.schema.SchemaChangeRefused;
import io.scriptforge.runner.app.schema.SchemaMigrator;
import io.scriptforge.runner.app.service.AppService;
import io.scriptforge.runner.app.service.ServiceBackend;
import io.scriptforge.runner.app.session.LiveSessions;
import io.scriptforge.runner.app.sql.StatementCatalog;
import io.scriptforge.runner.app.sql.StatementExecutor;
import io.scriptforge.runner.app.sql.StatementRunner;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.DatabaseUnavailable;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.syntax.LocatedError;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What every App of a runner shares: the database, the cross-replica events, the stores, the
 * JavaScript engine. Starts an App: migrate its schema, then evaluate its service; the first
 * failure stops the start and becomes the App's reason for not being served.
 */
public final class AppPlatform implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppPlatform.class);

    /** Limits and identity of this runner for Apps. */
    /** @param maxMessageBytes the largest AppWebsocket message, whole (its fragments together) */
    public record Settings(
            String runnerId,
            long maxFileBytes,
            Duration serviceCallTimeout,
            Duration statementTimeout,
            int maxMessageBytes) {}

    private final RunnerDatabase database;
    private final JsEngine engine;
    private final ObjectMapper json;
    private final Settings settings;
    private final SchemaMigrator migrator = new SchemaMigrator();
    private final StatementRunner statements;
    private final ConfigStore config;
    private final DbFilesStore files;
    private final LiveSessions sessions;
    private AppEvents events;

    public AppPlatform(RunnerDatabase database, JsEngine engine, ObjectMapper json, Settings settings) {
        this.database = database;
        this.engine = engine;
        this.json = json;
        this.settings = settings;
        this.statements = new StatementRunner(new StatementExecutor(database, settings.statementTimeout()));
        this.config = new ConfigStore(database);
        this.files = new DbFilesStore(database);
        this.sessions = new LiveSessions(database, settings.runnerId());
    }

    /** The dbfiles keys of live sessions, shared by all replicas through the database. */
    public LiveSessions sessions() {
        return sessions;
    }

    /** Sends a config change to every replica's sessions, when {@code tx} commits. */
    public void publishConfigChange(java.sql.Connection tx, AppManifest manifest, java.util.List<String> changed)
            throws SQLException {
        ConfigChanges.publish(events(), tx, manifest, changed);
    }

    /** Keeps this replica's sessions' dbfiles keys fresh, so other replicas keep accepting them. */
    public void refreshSessions(java.util.Collection<AppRuntime> runtimes) {
        for (AppRuntime runtime : runtimes) {
            if (!runtime.ready()) {
                continue;
            }
            java.util.List<String> keys = runtime.sessions().stream()
                    .map(AppConnection::dbfilesKey)
                    .filter(java.util.Objects::nonNull)
                    .toList();
            try {
                sessions.refresh(runtime.schema(), keys);
            } catch (SQLException e) {
                LOG.warnf("App %s: live sessions not refreshed: %s", runtime.qualifiedName(), e.getMessage());
            }
        }
    }

    public RunnerDatabase database() {
        return database;
    }

    public ObjectMapper json() {
        return json;
    }

    public Settings settings() {
        return settings;
    }

    public StatementRunner statements() {
        return statements;
    }

    public ConfigStore config() {
        return config;
    }

    public DbFilesStore files() {
        return files;
    }

    /** The events listener starts with the first App, so a runner without Apps needs no database. */
    public synchronized AppEvents events() {
        if (events == null) {
            AppEvents started = new AppEvents(database);
            try {
                started.start();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot listen for app events: " + e.getMessage(), e);
            }
            events = started;
        }
        return events;
    }

    /** Starts an App; never throws: a failure gives a runtime that says why it is not served. */
    AppRuntime start(AppManifest manifest, String fingerprint) {
        String ns = manifest.namespace();
        String name = manifest.name();
        if (!database.available()) {
            return AppRuntime.failed(ns, name, fingerprint, database.unavailableReason());
        }
        AppSchema schema = AppSchema.of(ns, name);
        MigrationResult migration;
        try {
            migration = migrator.migrate(database, schema, manifest);
            if (!migration.changes().isEmpty()) {
                LOG.infof(
                        "App %s: schema %s at version %d: %s",
                        manifest.qualifiedName(),
                        schema.name(),
                        migration.version(),
                        String.join("; ", migration.changes()));
            }
        } catch (SchemaChangeRefused e) {
            return AppRuntime.failed(ns, name, fingerprint, "database change refused: " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            return notStarted(ns, name, fingerprint, "database: ", e);
        }
        AppRuntime[] self = new AppRuntime[1];
        AppService service =
                new AppService(engine, manifest, backend(manifest, schema, self), settings.serviceCallTimeout());
        try {
            service.start();
        } catch (LocatedError e) {
            service.close();
            return AppRuntime.failed(ns, name, fingerprint, "service JS failed at " + e.getMessage());
        }
        AppRuntime runtime = new AppRuntime(
                manifest, fingerprint, schema, new StatementCatalog(manifest), service, migration.version());
        self[0] = runtime;
        try {
            runtime.own(events().subscribe(
                            manifest.qualifiedName(),
                            ConfigChanges.TOPIC,
                            payload -> ConfigChanges.deliver(runtime, payload, this)));
        } catch (IllegalStateException e) {
            runtime.close();
            return notStarted(ns, name, fingerprint, "", e);
        }
        return runtime;
    }

    /** A start the database stopped: waiting for it when it did not answer, failed (with {@code what} and why) when it refused. */
    private static AppRuntime notStarted(String ns, String name, String fingerprint, String what, Exception e) {
        return DatabaseUnavailable.causedBy(e)
                ? AppRuntime.waitingForDatabase(ns, name, fingerprint, DatabaseUnavailable.message(e))
                : AppRuntime.failed(ns, name, fingerprint, what + e.getMessage());
    }

    private ServiceBackend backend(AppManifest manifest, AppSchema schema, AppRuntime[] runtime) {
        return new ServiceBackend() {
            @Override
            public RunnerDatabase database() {
                return database;
            }

            @Override
            public AppSchema schema() {
                return schema;
            }

            @Override
            public Map<String, JsonNode> configValues() throws SQLException {
                return config.values(schema, manifest);
            }

            @Override
            public void saveConfig(Map<String, JsonNode> values) throws SQLException {
                config.write(schema, manifest, values, (tx, changed) -> publishConfigChange(tx, manifest, changed));
            }

            @Override
            public void log(String level, String line) {
                Logger.Level logLevel = switch (level) {
                    case "debug" -> Logger.Level.DEBUG;
                    case "warn" -> Logger.Level.WARN;
                    case "error" -> Logger.Level.ERROR;
                    default -> Logger.Level.INFO;
                };
                LOG.logf(logLevel, "App %s: %s", manifest.qualifiedName(), line);
            }
        };
    }

    @Override
    public synchronized void close() {
        if (events != null) {
            events.close();
            events = null;
        }
    }
}
