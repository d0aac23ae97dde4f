package io.scriptforge.runner.app.sql;

/**
 * The database refused the statement. The message is PostgreSQL's own (e.g. a violated constraint),
 * without stack trace or connection details; the cause stays for the runner's log.
 */
public final class StatementFailed extends StatementException {
    private final String sqlState;

    public StatementFailed(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** PostgreSQL's SQLSTATE (e.g. 23505 for a unique violation, 57014 for a timeout); null when unknown. */
    public String sqlState() {
        return sqlState;
    }
}
