package io.scriptforge.runner.app.sql;

/** An argument the client sent does not fit its declared type, or a server-filled one has no value yet. */
public final class BadArgument extends StatementException {
    public BadArgument(String message) {
        super(message, null);
    }
}
