package io.scriptforge.runner.db;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the runner's PostgreSQL is and how many connections it may hold. The runner's configuration
 * ({@code scriptforge.database.*}) implements it; tests give their own.
 */
public interface DatabaseSettings {
    /** A JDBC URL (jdbc:postgresql://host:5432/db). Unset: an embedded PostgreSQL, when {@link #embedded()} allows it. */
    Optional<String> url();

    Optional<String> username();

    Optional<String> password();

    /** Start an embedded PostgreSQL when no URL is given (local mode; never wanted in a cluster). */
    boolean embedded();

    /** Where the embedded PostgreSQL keeps its data; empty: a temporary directory, removed at exit. */
    Optional<String> embeddedDir();

    /**
     * How long the embedded PostgreSQL may take to start (a busy machine needs more than the library's 10 s); if it
     * does not, Apps wait and the start is tried again on their next attempt.
     */
    Duration embeddedStartupWait();

    /** Most connections a runner holds as itself (migrations, events, dbfiles sessions). */
    int maxConnections();

    /**
     * Most connections one App's own pool holds on a runner (its statements and service SQL run as the app's role);
     * a streaming SqlExec holds one until its client has read every row.
     */
    int appMaxConnections();
}
