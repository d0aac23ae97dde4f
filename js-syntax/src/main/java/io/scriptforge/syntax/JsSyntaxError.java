package io.scriptforge.syntax;

/** Code that does not parse, with where: "syntax error at ns/name.js:3:7: Expected ; but found x". */
public final class JsSyntaxError extends Exception {
    private final int line;
    private final int column;

    public JsSyntaxError(String fileName, int line, int column, String reason) {
        super("syntax error at " + fileName + ":" + line + ":" + column + ": " + reason);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
