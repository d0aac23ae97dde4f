package io.scriptforge.it.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL for the IT JVM, shared by the runner processes under test (as the replicas
 * of a pool share the chart's database). Stopped when the JVM exits.
 */
public final class SharedPostgres {
    private static EmbeddedPostgres server;

    private SharedPostgres() {}

    /** The JDBC URL (user and password in it) the runner processes are given. */
    public static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for the ITs", e);
            }
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(SharedPostgres::stop));
        }
        return server.getJdbcUrl("postgres", "postgres");
    }

    private static synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
