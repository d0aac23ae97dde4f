package io.scriptforge.runner.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One embedded PostgreSQL per JVM, started on first use: {@code make run} and the tests need no
 * database of their own. Stopped when the JVM exits, so no server outlives the tests.
 */
final class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static EmbeddedPostgres server;
    private static Path serverDir;

    private EmbeddedDatabase() {}

    /**
     * The JDBC URL of the running server (user postgres, no password), starting it when needed.
     *
     * @throws SQLException (state 08001, so Apps wait for it and try again) when the server did not start within {@code startupWait}
     */
    static synchronized String url(Path dataDir, Duration startupWait) throws SQLException {
        if (server == null) {
            long started = System.nanoTime();
            try {
                boolean keep = dataDir != null;
                Path dir = keep ? dataDir : Files.createTempDirectory("scriptforge-pg");
                Files.createDirectories(dir);
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(!keep)
                        .setServerConfig("max_connections", "200")
                        .setPGStartupWait(startupWait)
                        .start();
                serverDir = dir;
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(EmbeddedDatabase::stop));
                LOG.infof(
                        "embedded PostgreSQL on port %d (data in %s%s) started in %d ms",
                        server.getPort(),
                        dir,
                        keep ? "" : ", removed at exit",
                        (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                throw new SQLException(
                        "the embedded PostgreSQL did not start within " + startupWait.toSeconds() + " s: "
                                + e.getMessage()
                                + " (Apps wait and it is tried again; scriptforge.database.embedded-startup-wait gives it longer,"
                                + " scriptforge.database.url uses an existing server)",
                        "08001",
                        e);
            }
        } else if (dataDir != null && !dataDir.equals(serverDir)) {
            LOG.warnf("embedded PostgreSQL already runs on %s; %s is not used", serverDir, dataDir);
        }
        return server.getJdbcUrl("postgres", "postgres");
    }

    private static synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warnf("embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
            }
            server = null;
        }
    }
}
