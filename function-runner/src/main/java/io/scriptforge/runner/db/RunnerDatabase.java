package io.scriptforge.runner.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.scriptforge.runner.config.RunnerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The runner's PostgreSQL: the configured server, or an embedded one (local mode). Connects on
 * first use, so a runner serving only Scripts never needs a database.
 */
public final class RunnerDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunnerDatabase.class);

    private final RunnerConfig.Database config;
    private final boolean embeddedAllowed;
    private HikariDataSource pool;
    private String url;
    private Boolean rolesAllowed;

    public RunnerDatabase(RunnerConfig.Database config) {
        this(config, true);
    }

    /** @param embeddedAllowed false in cluster mode: a pod's embedded database would lose the data with the pod */
    public RunnerDatabase(RunnerConfig.Database config, boolean embeddedAllowed) {
        this.config = config;
        this.embeddedAllowed = embeddedAllowed;
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

    /** The pool, connecting (and starting the embedded server) on first call. */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            if (!available()) {
                throw new IllegalStateException(unavailableReason());
            }
            url = config.url().filter(u -> !u.isBlank())
                    .orElseGet(() -> EmbeddedDatabase.url(config.embeddedDir().filter(d -> !d.isBlank()).map(Path::of).orElse(null)));
            HikariConfig hikari = new HikariConfig();
            hikari.setJdbcUrl(url);
            config.username().filter(u -> !u.isBlank()).ifPresent(hikari::setUsername);
            config.password().filter(p -> !p.isBlank()).ifPresent(hikari::setPassword);
            hikari.setMaximumPoolSize(config.maxConnections());
            hikari.setMinimumIdle(1);
            hikari.setPoolName("scriptforge-apps");
            // Fail fast with the server's own words when it cannot be reached, rather than hang.
            hikari.setInitializationFailTimeout(10_000);
            hikari.setConnectionTimeout(10_000);
            pool = new HikariDataSource(hikari);
            LOG.infof("Apps' database: %s", redacted(url));
        }
        return pool;
    }

    /** A connection outside the pool, for a long-lived LISTEN: the caller closes it. */
    public Connection dedicatedConnection() throws SQLException {
        dataSource();
        Properties props = new Properties();
        config.username().filter(u -> !u.isBlank()).ifPresent(u -> props.setProperty("user", u));
        config.password().filter(p -> !p.isBlank()).ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(url, props);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource().getConnection()) {
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
    }

    /**
     * Runs {@code work} in one transaction confined to the app: its schema first on the search path
     * and, where the server lets us create roles, the app's own role, so the SQL cannot reach
     * another app's schema.
     */
    public <T> T inApp(AppSchema schema, SqlWork<T> work) throws SQLException {
        boolean roles = rolesAllowed();
        return inTransaction(connection -> {
            try (Statement confine = connection.createStatement()) {
                if (roles) {
                    confine.execute("SET LOCAL ROLE " + schema.quoted());
                }
                confine.execute("SET LOCAL search_path TO " + schema.quoted());
            }
            return work.run(connection);
        });
    }

    /** Whether the server lets the runner create a role per app (superuser or CREATEROLE). */
    public synchronized boolean rolesAllowed() throws SQLException {
        if (rolesAllowed == null) {
            try (Connection connection = dataSource().getConnection();
                 Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
                rolesAllowed = rs.next() && rs.getBoolean(1);
            }
            if (!rolesAllowed) {
                LOG.warn("the database user may not create roles: each App gets its own schema, but not its own role");
            }
        }
        return rolesAllowed;
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

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
