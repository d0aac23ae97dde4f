package io.scriptforge.runner.app.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs inside a config write's transaction, just before it commits, when some value changed: so a
 * change event (e.g. a NOTIFY) is published exactly when the change is. Throwing rolls it all back.
 */
@FunctionalInterface
public interface TransactionHook {
    void beforeCommit(Connection tx, List<String> changed) throws SQLException;
}
