package io.scriptforge.runner.tasks;

import io.scriptforge.runner.db.PlatformSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The db-scheduler table of one RunnerPool. A pool's runners share it and no other pool sees it: a
 * runner can only run the Scripts it serves, and db-scheduler treats unknown task names as deletable
 * after a while, so pools must not share one table.
 */
public record TaskTable(String name) {
    private static final String PREFIX = "sf_tasks";

    /** The table of local mode: one runner (or several on one directory) serving every namespace. */
    public static TaskTable local() {
        return new TaskTable(PlatformSchema.NAME + "." + PREFIX);
    }

    /** The table of a pool in a cluster; hashed, as namespace and pool names together exceed an identifier. */
    public static TaskTable ofPool(String namespace, String pool) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((namespace + "/" + pool).getBytes(StandardCharsets.UTF_8));
            return new TaskTable(
                    PlatformSchema.NAME + "." + PREFIX + "_" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** db-scheduler's PostgreSQL table, as its documentation gives it; idempotent. */
    List<String> ddl() {
        String index = name.substring(name.indexOf('.') + 1);
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + PlatformSchema.NAME,
                "REVOKE ALL ON SCHEMA " + PlatformSchema.NAME + " FROM PUBLIC",
                "CREATE TABLE IF NOT EXISTS " + name
                        + " (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,"
                        + " execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMPTZ,"
                        + " last_failure TIMESTAMPTZ, consecutive_failures INT, last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL,"
                        + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))",
                "REVOKE ALL ON " + name + " FROM PUBLIC",
                "CREATE INDEX IF NOT EXISTS " + index + "_execution_time ON " + name + " (execution_time)",
                "CREATE INDEX IF NOT EXISTS " + index + "_last_heartbeat ON " + name + " (last_heartbeat)",
                "CREATE INDEX IF NOT EXISTS " + index + "_priority ON " + name
                        + " (priority DESC, execution_time ASC)");
    }
}
