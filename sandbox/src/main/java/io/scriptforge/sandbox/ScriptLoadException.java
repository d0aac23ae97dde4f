package io.scriptforge.sandbox;

/** A Script that cannot be served, with where the problem is when it lies in the code. */
public class ScriptLoadException extends Exception {
    private final int line;
    private final int column;

    public ScriptLoadException(String message) {
        this(message, 0, 0);
    }

    public ScriptLoadException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line in the script's code, or 0 when the problem is not in the code. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0. */
    public int column() {
        return column;
    }
}
