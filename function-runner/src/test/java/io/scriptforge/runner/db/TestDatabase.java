package io.scriptforge.runner.db;

import io.scriptforge.runner.config.RunnerConfig;
import java.util.Optional;

/** The test JVM's one database: the embedded PostgreSQL, shared by every test (and the runner under test). */
public final class TestDatabase {
    private static RunnerDatabase shared;

    private TestDatabase() {
    }

    public static synchronized RunnerDatabase shared() {
        if (shared == null) {
            shared = new RunnerDatabase(embeddedConfig());
        }
        return shared;
    }

    /** Settings for an embedded server with its data in a temporary directory. */
    public static RunnerConfig.Database embeddedConfig() {
        return new RunnerConfig.Database() {
            public Optional<String> url() { return Optional.empty(); }
            public Optional<String> username() { return Optional.empty(); }
            public Optional<String> password() { return Optional.empty(); }
            public boolean embedded() { return true; }
            public Optional<String> embeddedDir() { return Optional.empty(); }
            public int maxConnections() { return 8; }
        };
    }
}
