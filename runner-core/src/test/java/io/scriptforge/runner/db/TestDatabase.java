package io.scriptforge.runner.db;

import java.util.Optional;

/** The test JVM's one database: the embedded PostgreSQL, shared by every test (and the runner under test). */
public final class TestDatabase {
    private static RunnerDatabase shared;

    private TestDatabase() {}

    public static synchronized RunnerDatabase shared() {
        if (shared == null) {
            shared = new RunnerDatabase(embeddedConfig());
        }
        return shared;
    }

    /**
     * Another runner replica on the shared server, as its superuser: its own pools, the same data.
     *
     * @param appPoolSize the most connections of each app's pool
     */
    public static RunnerDatabase replica(int appPoolSize) {
        String url = ((com.zaxxer.hikari.HikariDataSource) shared().dataSource()).getJdbcUrl();
        return new RunnerDatabase(
                new Settings(Optional.of(url), Optional.empty(), Optional.empty(), false, Optional.empty(), 2, 2),
                false,
                appPoolSize);
    }

    /** Settings for an embedded server with its data in a temporary directory. */
    public static DatabaseSettings embeddedConfig() {
        return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.empty(), 8, 4);
    }

    /** A test's own database settings, field by field (the embedded server may take up to 120 s to start). */
    public record Settings(
            Optional<String> url,
            Optional<String> username,
            Optional<String> password,
            boolean embedded,
            Optional<String> embeddedDir,
            int maxConnections,
            int appMaxConnections)
            implements DatabaseSettings {
        @Override
        public java.time.Duration embeddedStartupWait() {
            return java.time.Duration.ofSeconds(120);
        }
    }
}
