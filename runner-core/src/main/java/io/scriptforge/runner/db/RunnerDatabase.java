package io.scriptforge.runner.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The runner's PostgreSQL: the configured server, or an embedded one (local mode). Connects on
 * first use, so a runner serving only Scripts never needs a database.
 *
 * <p>Where the runner's user may create roles, each app's SQL runs on a pool of its own that logs
 * in as the app's role (made by the schema migration, its password derived from the
 * {@link PlatformSecret}): the session itself is the app, so no SET ROLE, RESET ROLE or
 * security-definer trick of the app's SQL can take it anywhere else. Where it may not, apps share
 * the runner's pool and are kept apart by search_path only, which a hostile app can get around.
 */
public final class RunnerDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunnerDatabase.class);
    public static final int DEFAULT_APP_POOL_SIZE = 4;
    private static final long APP_IDLE_MILLIS = 60_000;
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int CREATION_ATTEMPTS = 3;

    private final DatabaseSettings config;
    private final boolean embeddedAllowed;
    private final int appPoolSize;
    private final Map<String, HikariDataSource> appPools = new ConcurrentHashMap<>();
    private final Object appPoolsLock = new Object();
    private volatile HikariDataSource pool;
    private volatile Boolean rolesAllowed;
    private volatile PlatformSecret secret;
    private String url;
    /** Housekeeping of the app pools: one thread for all of them rather than one each. */
    private ScheduledThreadPoolExecutor appPoolHousekeeping;

    public RunnerDatabase(DatabaseSettings config) {
        this(config, true);
    }

    /** @param embeddedAllowed false in cluster mode: a pod's embedded database would lose the data with the pod */
    public RunnerDatabase(DatabaseSettings config, boolean embeddedAllowed) {
        this(config, embeddedAllowed, DEFAULT_APP_POOL_SIZE);
    }

    /** @param appPoolSize the most connections one app's pool opens (each pool closes its idle ones after a minute) */
    public RunnerDatabase(DatabaseSettings config, boolean embeddedAllowed, int appPoolSize) {
        if (appPoolSize < 1) {
            throw new IllegalArgumentException("an app's pool needs at least one connection, got " + appPoolSize);
        }
        this.config = config;
        this.embeddedAllowed = embeddedAllowed;
        this.appPoolSize = appPoolSize;
    }

    /** False when there is neither a URL nor an embedded server allowed: Apps cannot run. */
    public boolean available() {
        return config.url().filter(u -> !u.isBlank()).isPresent() || (config.embedded() && embeddedAllowed);
    }

    /** Why Apps cannot run, for their status. */
    public String unavailableReason() {
        return embeddedAllowed
                ? "no database: set scriptforge.database.url (SCRIPTFORGE_DATABASE_URL), or allow the embedded one (scriptforge.database.embedded=true)"
                : "no database: in a cluster, runners need scriptforge.database.url (SCRIPTFORGE_DATABASE_URL, from the chart's database Secret)";
    }

    /** The runner's own pool, connecting (and starting the embedded server) on first call. Not for app SQL: see {@link #inApp}. */
    public DataSource dataSource() {
        HikariDataSource current = pool;
        return current != null ? current : openPool();
    }

    private synchronized HikariDataSource openPool() {
        if (pool == null) {
            if (!available()) {
                throw new IllegalStateException(unavailableReason());
            }
            url = config.url().filter(u -> !u.isBlank()).orElseGet(this::embeddedUrl);
            HikariConfig hikari = new HikariConfig();
            hikari.setJdbcUrl(url);
            config.username().filter(u -> !u.isBlank()).ifPresent(hikari::setUsername);
            config.password().filter(p -> !p.isBlank()).ifPresent(hikari::setPassword);
            hikari.setMaximumPoolSize(config.maxConnections());
            hikari.setMinimumIdle(1);
            hikari.setPoolName("scriptforge-apps");
            // Fail fast with the server's own words when it cannot be reached, rather than hang: one attempt (a
            // refused connection fails at once, an unreachable host after the driver's connect timeout). Retrying
            // for seconds here, under this object's lock, held every other caller (kv, Apps, the scheduler) behind it.
            hikari.setInitializationFailTimeout(1);
            hikari.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MILLIS / 1000));
            hikari.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
            pool = new HikariDataSource(hikari);
            LOG.infof("Apps' database: %s", redacted(url));
        }
        return pool;
    }

    /** Unchecked, as the pool's own failure to connect is; its cause (state 08001) tells callers to wait and retry. */
    private String embeddedUrl() {
        try {
            return EmbeddedDatabase.url(
                    config.embeddedDir().filter(d -> !d.isBlank()).map(Path::of).orElse(null),
                    config.embeddedStartupWait());
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A connection outside the pool, for a long-lived LISTEN: the caller closes it. */
    public Connection dedicatedConnection() throws SQLException {
        dataSource();
        Properties props = new Properties();
        config.username().filter(u -> !u.isBlank()).ifPresent(u -> props.setProperty("user", u));
        config.password().filter(p -> !p.isBlank()).ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(url, props);
    }

    /** Runs {@code work} in one transaction as the runner's user: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource().getConnection()) {
            return transaction(connection, work);
        }
    }

    /**
     * Runs {@code work} in one transaction confined to the app, with its schema as the search path:
     * on the app's own pool, logged in as its role, where roles are allowed (the role must have been
     * made by the schema migration); on the runner's pool otherwise.
     */
    public <T> T inApp(AppSchema schema, SqlWork<T> work) throws SQLException {
        if (!rolesAllowed()) {
            try (Connection connection = dataSource().getConnection()) {
                return transaction(connection, confined(schema, work));
            }
        }
        HikariDataSource appPool = appPool(schema);
        try (Connection connection = appPool.getConnection()) {
            try {
                return transaction(connection, confined(schema, work));
            } finally {
                stopListening(appPool, connection);
            }
        }
    }

    /** Closes the app's own pool, if it has one (when the App is removed); the next {@link #inApp} opens a new one. */
    public void closeApp(AppSchema schema) {
        HikariDataSource appPool;
        synchronized (appPoolsLock) {
            appPool = appPools.remove(schema.name());
        }
        if (appPool != null) {
            appPool.close();
        }
    }

    /** The secret all replicas share, created by the first; also prepares the runners' own schema. */
    public PlatformSecret platformSecret() throws SQLException {
        PlatformSecret current = secret;
        if (current == null) {
            synchronized (this) {
                if (secret == null) {
                    secret = retryingCreationRaces(c -> {
                        PlatformSchema.ensure(c);
                        return PlatformSecret.loadOrCreate(c);
                    });
                }
                current = secret;
            }
        }
        return current;
    }

    /** Whether the server lets the runner create a role per app (superuser or CREATEROLE), and so isolate apps. */
    public boolean rolesAllowed() throws SQLException {
        Boolean allowed = rolesAllowed;
        if (allowed == null) {
            synchronized (this) {
                if (rolesAllowed == null) {
                    try (Connection connection = dataSource().getConnection();
                            Statement st = connection.createStatement();
                            ResultSet rs = st.executeQuery(
                                    "SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
                        rs.next();
                        rolesAllowed = rs.getBoolean(2);
                        if (!rolesAllowed) {
                            LOG.warnf(
                                    "the database user %s may not create roles (CREATEROLE): each App gets its own schema but runs its SQL"
                                            + " as %s, so a hostile App can read other Apps' data and forge their events; grant CREATEROLE"
                                            + " to isolate Apps from each other",
                                    rs.getString(1), rs.getString(1));
                        }
                    }
                }
                allowed = rolesAllowed;
            }
        }
        return allowed;
    }

    private static <T> SqlWork<T> confined(AppSchema schema, SqlWork<T> work) {
        return connection -> {
            try (Statement st = connection.createStatement()) {
                st.execute("SET LOCAL search_path TO " + schema.quoted());
            }
            return work.run(connection);
        };
    }

    private static <T> T transaction(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /**
     * An app's SQL may LISTEN (and even COMMIT it); a pooled connection left listening would hold
     * back the server's notification queue for every app, and fill the driver's memory. So it
     * stops listening before it goes back to the pool, or is dropped.
     */
    private static void stopListening(HikariDataSource appPool, Connection connection) {
        try (Statement st = connection.createStatement()) {
            connection.setAutoCommit(true);
            st.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debugf(
                    "dropping a connection of %s that could not UNLISTEN: %s", appPool.getPoolName(), e.getMessage());
            appPool.evictConnection(connection);
        }
    }

    private HikariDataSource appPool(AppSchema schema) throws SQLException {
        HikariDataSource existing = appPools.get(schema.name());
        if (existing != null) {
            return existing;
        }
        String password = platformSecret().rolePassword(schema.name());
        synchronized (appPoolsLock) {
            existing = appPools.get(schema.name());
            if (existing != null) {
                return existing;
            }
            HikariDataSource opened = openAppPool(schema, password);
            appPools.put(schema.name(), opened);
            return opened;
        }
    }

    private HikariDataSource openAppPool(AppSchema schema, String password) throws SQLException {
        dataSource();
        synchronized (this) {
            if (appPoolHousekeeping == null) {
                appPoolHousekeeping = new ScheduledThreadPoolExecutor(
                        1,
                        Thread.ofPlatform()
                                .daemon()
                                .name("scriptforge-app-pools")
                                .factory());
                appPoolHousekeeping.setRemoveOnCancelPolicy(true);
            }
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(withoutCredentials(url));
        hikari.setUsername(schema.name());
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(appPoolSize);
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(APP_IDLE_MILLIS);
        hikari.setPoolName("scriptforge-app-" + schema.name());
        hikari.setScheduledExecutor(appPoolHousekeeping);
        hikari.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        // One attempt when the pool opens, so a role that cannot log in is said at once.
        hikari.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SQLException(
                    "app " + schema.appName() + ": cannot connect as its database role " + schema.name() + ": "
                            + cause.getMessage()
                            + " (the schema migration makes the role and lets it log in: has the App been migrated?)",
                    cause instanceof SQLException sql ? sql.getSQLState() : null,
                    cause);
        }
    }

    /** A pool's URL without the runner's user and password, which would override the app's. */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        String kept = Arrays.stream(url.substring(query + 1).split("&"))
                .filter(p -> {
                    String key = p.toLowerCase(Locale.ROOT);
                    return !key.startsWith("user=") && !key.startsWith("password=");
                })
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? url.substring(0, query) : url.substring(0, query + 1) + kept;
    }

    /** Runs {@code work} again when it lost a race with another replica creating the same catalog object. */
    private <T> T retryingCreationRaces(SqlWork<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (SQLException e) {
                if (attempt >= CREATION_ATTEMPTS
                        || !PlatformSchema.isCreationRace(e)
                                && !(e.getCause() instanceof SQLException cause
                                        && PlatformSchema.isCreationRace(cause))) {
                    throw e;
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /**
     * Runs the idempotent {@code ddl} of runner-owned tables in one transaction. Two replicas doing it at
     * once may collide in the catalog: that is retried.
     *
     * @param what names the tables in the error, e.g. "the kv table scriptforge.sf_kv"
     */
    public void createTables(String what, List<String> ddl) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                inTransaction(c -> {
                    try (Statement st = c.createStatement()) {
                        for (String statement : ddl) {
                            st.execute(statement);
                        }
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                if (attempt >= CREATION_ATTEMPTS || !PlatformSchema.isCreationRace(e)) {
                    throw new SQLException(
                            what + " cannot be prepared: " + e.getMessage()
                                    + " (the runners' database user needs CREATE"
                                    + " on the database, and must own the schema '" + PlatformSchema.NAME
                                    + "' or be granted all on it)",
                            e.getSQLState(),
                            e);
                }
            }
        }
    }

    /** Closes every app's pool and the runner's (a later use opens them again). */
    @Override
    public void close() {
        HikariDataSource main;
        ScheduledThreadPoolExecutor housekeeping;
        synchronized (this) {
            main = pool;
            pool = null;
            housekeeping = appPoolHousekeeping;
            appPoolHousekeeping = null;
        }
        synchronized (appPoolsLock) {
            appPools.values().forEach(HikariDataSource::close);
            appPools.clear();
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (main != null) {
            main.close();
        }
    }
}
