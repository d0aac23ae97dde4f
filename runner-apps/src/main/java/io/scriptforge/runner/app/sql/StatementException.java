package io.scriptforge.runner.app.sql;

/**
 * Why a client's SqlInsert or SqlExec did not run, in words meant for that client: the statement
 * was not theirs to run, an argument was wrong, or the database refused it.
 */
public abstract sealed class StatementException extends Exception
        permits StatementRefused, BadArgument, StatementFailed {
    protected StatementException(String message, Throwable cause) {
        super(message, cause);
    }
}
