package io.scriptforge.runner.app.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done in the statement's own transaction after it ran and before it commits, e.g. publishing
 * a SqlUpdate for monitoring sessions, which is then sent only if the statement commits.
 */
@FunctionalInterface
public interface TransactionHook {
    TransactionHook NONE = (tx, result) -> {};

    /** Throwing rolls the statement back. */
    void beforeCommit(Connection tx, StatementResult result) throws SQLException;
}
