package io.scriptforge.syntax;

/**
 * The platform's one error type for code that cannot be used, with where the problem is when it lies in code: a
 * Script that does not parse, a Script that cannot be served (its spec, or its code), an App file whose
 * evaluation failed. Lines and columns are 1-based, as editors count; 0 when the problem has no place in code.
 */
public class LocatedError extends Exception {
    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    private LocatedError(String message, String file, int line, int column, String reason) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** A problem with no place in code (a Script's spec, say): the message says where. */
    public LocatedError(String message) {
        this(message, null, 0, 0, message);
    }

    /** A failure at a place of {@code file}: "file:line:column: reason". */
    public static LocatedError at(String file, int line, int column, String reason) {
        return new LocatedError(file + ":" + line + ":" + column + ": " + reason, file, line, column, reason);
    }

    /** Code that does not parse: "syntax error at file:line:column: reason". */
    public static LocatedError syntax(String file, int line, int column, String reason) {
        return new LocatedError(
                "syntax error at " + file + ":" + line + ":" + column + ": " + reason, file, line, column, reason);
    }

    /** The file the problem is in, or null when it has no place in code. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0. */
    public int column() {
        return column;
    }

    /** The message without the place. */
    public String reason() {
        return reason;
    }
}
