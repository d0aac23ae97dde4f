package io.scriptforge.runner.app;

import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.app.service.AppService;
import io.scriptforge.runner.app.sql.StatementCatalog;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.DatabaseRetries;
import io.scriptforge.runner.db.DatabaseUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One App as served: its manifest, its migrated schema, its running service JS and its live
 * sessions; or, when it could not start, the reason (and nothing of it runs).
 */
public final class AppRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppRuntime.class);

    private final String namespace;
    private final String name;
    private final String fingerprint;
    private final AppManifest manifest;
    private final AppSchema schema;
    private final StatementCatalog catalog;
    private final AppService service;
    private final String problem;
    private final boolean waitsForDatabase;
    private final int schemaVersion;
    private final Set<AppConnection> sessions = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile boolean closed;

    AppRuntime(
            AppManifest manifest,
            String fingerprint,
            AppSchema schema,
            StatementCatalog catalog,
            AppService service,
            int schemaVersion) {
        this.namespace = manifest.namespace();
        this.name = manifest.name();
        this.fingerprint = fingerprint;
        this.manifest = manifest;
        this.schema = schema;
        this.catalog = catalog;
        this.service = service;
        this.problem = null;
        this.waitsForDatabase = false;
        this.schemaVersion = schemaVersion;
    }

    private AppRuntime(String namespace, String name, String fingerprint, String problem, boolean waitsForDatabase) {
        this.namespace = namespace;
        this.name = name;
        this.fingerprint = fingerprint;
        this.manifest = null;
        this.schema = null;
        this.catalog = null;
        this.service = null;
        this.problem = problem;
        this.waitsForDatabase = waitsForDatabase;
        this.schemaVersion = 0;
    }

    /** An App that could not start, and why: it answers every request with that reason. */
    public static AppRuntime failed(String namespace, String name, String fingerprint, String problem) {
        return new AppRuntime(namespace, name, fingerprint, problem, false);
    }

    /** An App whose database did not answer: not served, and started again once the database answers ({@link AppRegistry}). */
    static AppRuntime waitingForDatabase(String namespace, String name, String fingerprint, String jdbcMessage) {
        return new AppRuntime(
                namespace,
                name,
                fingerprint,
                DatabaseUnavailable.REASON + ": " + jdbcMessage + " (the runner tries again, at least every "
                        + DatabaseRetries.MOST.toSeconds() + " s, and serves the app once the database answers)",
                true);
    }

    /** Another App that waits for the same database, for the same reason as {@code waiting}. */
    static AppRuntime alsoWaiting(String namespace, String name, String fingerprint, AppRuntime waiting) {
        return new AppRuntime(namespace, name, fingerprint, waiting.problem(), true);
    }

    /** Whether it is not served only because the database did not answer, so that starting it again may work. */
    public boolean waitsForDatabase() {
        return waitsForDatabase && !closed;
    }

    public boolean ready() {
        return problem == null && !closed;
    }

    /** Why it is not served; null when it is. */
    public String problem() {
        return closed ? "the app was reloaded or removed" : problem;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String qualifiedName() {
        return namespace + "/" + name;
    }

    /** The base URL path of the app: {@code /apps/{namespace}/{name}/}. */
    public String basePath() {
        return "/apps/" + namespace + "/" + name + "/";
    }

    public String fingerprint() {
        return fingerprint;
    }

    public AppManifest manifest() {
        return manifest;
    }

    public AppSchema schema() {
        return schema;
    }

    public StatementCatalog catalog() {
        return catalog;
    }

    public AppService service() {
        return service;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Set<AppConnection> sessions() {
        return sessions;
    }

    /** Something to close with the app (an event subscription). */
    void own(AutoCloseable resource) {
        resources.add(resource);
    }

    public void attach(AppConnection connection) {
        sessions.add(connection);
        if (closed) {
            connection.close();
        }
    }

    public void detach(AppConnection connection) {
        sessions.remove(connection);
    }

    /** Ends its sessions with 1001 and {@code reason} (the app itself still serves HTTP); completes once their close frames are written. */
    CompletableFuture<Void> endSessions(String reason) {
        return CompletableFuture.allOf(List.copyOf(sessions).stream()
                .map(s -> s.goAway(reason).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /** Closes its sessions (clients reconnect to the new version) and stops its service. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AppConnection connection : List.copyOf(sessions)) {
            connection.close();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warnf("App %s: closing %s failed: %s", qualifiedName(), resource, e.getMessage());
            }
        }
        if (service != null) {
            service.close();
        }
    }
}
