package io.scriptforge.runner.app.sql;

/** The statement is unknown, not granted to the session's modes, or not usable as declared. */
public final class StatementRefused extends StatementException {
    public StatementRefused(String message) {
        super(message, null);
    }
}
