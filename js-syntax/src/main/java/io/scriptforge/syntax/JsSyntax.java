package io.scriptforge.syntax;

import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * Parses JavaScript without running it and tells CommonJS from ES modules, so the operator's Ready condition
 * and the runner report the same error at the same line and column.
 */
public final class JsSyntax {
    public static final String MODULE_MIME = "application/javascript+module";
    private static final Pattern MODULE_SYNTAX = Pattern.compile("(?m)^\\s*(import|export)\\b");

    private final Context parser;

    /** @param parser a context only this checker uses; it is never asked to run code */
    public JsSyntax(Context parser) {
        this.parser = parser;
    }

    /**
     * @param fileName the name errors are reported under (namespace/name.js)
     * @return the form the code parses as
     * @throws LocatedError with the line and column of the user's code
     */
    public SourceKind check(String code, String fileName) throws LocatedError {
        boolean looksLikeModule = MODULE_SYNTAX.matcher(code).find();
        Source asScript = Source.newBuilder("js", code, fileName).buildLiteral();
        synchronized (parser) {
            PolyglotException scriptError = syntaxErrorOf(asScript);
            if (scriptError == null) {
                return SourceKind.COMMONJS;
            }
            PolyglotException moduleError = scriptError;
            if (looksLikeModule) {
                String moduleName = fileName.replaceFirst("\\.js$", "") + ".mjs";
                moduleError = syntaxErrorOf(Source.newBuilder("js", code, moduleName)
                        .mimeType(MODULE_MIME)
                        .buildLiteral());
            }
            if (moduleError == null) {
                return SourceKind.ES_MODULE;
            }
            throw error(moduleError, fileName);
        }
    }

    /** The syntax error of {@code source}, or null when it parses; any other failure propagates. */
    private PolyglotException syntaxErrorOf(Source source) {
        try {
            parser.parse(source);
            return null;
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e;
            }
            return e;
        }
    }

    private static LocatedError error(PolyglotException e, String fileName) {
        SourceSection at = e.getSourceLocation();
        int line = at == null ? 0 : at.getStartLine();
        int column = at == null ? 0 : at.getStartColumn();
        // GraalJS puts its own, 0-based, location in the text: keep only ours (1-based, as editors count).
        String reason = firstLine(e.getMessage()).replaceFirst("^(SyntaxError: )?\\S+:\\d+:\\d+ ", "$1");
        return LocatedError.syntax(fileName, line, column, reason);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** How a Script's code is loaded. */
    public enum SourceKind {
        COMMONJS,
        ES_MODULE
    }
}
