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
                new DatabaseSettings() {
                    public Optional<String> url() {
                        return Optional.of(url);
                    }

                    public Optional<String> username() {
                        return Optional.empty();
                    }

                    public Optional<String> password() {
                        return Optional.empty();
                    }

                    public boolean embedded() {
                        return false;
                    }

                    public Optional<String> embeddedDir() {
                        return Optional.empty();
                    }

                    public java.time.Duration embeddedStartupWait() {
                        return java.time.Duration.ofSeconds(120);
                    }

                    public int maxConnections() {
                        return 2;
                    }

                    public int appMaxConnections() {
                        return 2;
                    }
                },
                false,
                appPoolSize);
    }

    /** Settings for an embedded server with its data in a temporary directory. */
    public static DatabaseSettings embeddedConfig() {
        return new DatabaseSettings() {
            public Optional<String> url() {
                return Optional.empty();
            }

            public Optional<String> username() {
                return Optional.empty();
            }

            public Optional<String> password() {
                return Optional.empty();
            }

            public boolean embedded() {
                return true;
            }

            public Optional<String> embeddedDir() {
                return Optional.empty();
            }

            public java.time.Duration embeddedStartupWait() {
                return java.time.Duration.ofSeconds(120);
            }

            public int maxConnections() {
                return 8;
            }

            public int appMaxConnections() {
                return 4;
            }
        };
    }
}
