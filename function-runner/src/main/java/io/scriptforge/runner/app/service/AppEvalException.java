package io.scriptforge.runner.app.service;

/**
 * A service file that could not be evaluated when the app started: a syntax error, or an error
 * thrown (or a time limit hit) by its top-level code. Nothing of the app runs after it.
 */
public final class AppEvalException extends Exception {
    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    /**
     * @param file   the app file (its path in the app, e.g. {@code lib/util.js})
     * @param line   1-based line where it failed (0 when unknown)
     * @param column 1-based column where it failed (0 when unknown)
     * @param reason what went wrong, e.g. {@code ReferenceError: foo is not defined}
     */
    public AppEvalException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }
}
