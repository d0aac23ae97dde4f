package io.scriptforge.runner.app.service;

import java.util.Set;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Where in the app's own files a JavaScript error happened, and what it says, without GraalJS internals. */
final class GuestErrors {
    private GuestErrors() {}

    /** A place in an app file; line and column 1-based, 0 when unknown. */
    record Where(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    /**
     * The top frame of {@code e} that lies in one of {@code appFiles} (the service's own code, not
     * the platform's library), or {@code fallbackFile} without a position when there is none.
     */
    static Where where(PolyglotException e, Set<String> appFiles, String fallbackFile) {
        if (e.isSyntaxError() && e.getSourceLocation() != null) {
            SourceSection at = e.getSourceLocation();
            return new Where(at.getSource().getName(), at.getStartLine(), at.getStartColumn());
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection at = frame.getSourceLocation();
            if (frame.isGuestFrame()
                    && at != null
                    && appFiles.contains(at.getSource().getName())) {
                return new Where(at.getSource().getName(), at.getStartLine(), at.getStartColumn());
            }
        }
        return new Where(fallbackFile, 0, 0);
    }

    /** The error's own words: "ReferenceError: foo is not defined", or a syntax error's first line without GraalJS's 0-based position. */
    static String reason(PolyglotException e) {
        String message = firstLine(e.getMessage());
        if (e.isSyntaxError()) {
            return message.replaceFirst("^(SyntaxError: )?.+?:\\d+:\\d+ ", "SyntaxError: ");
        }
        return message.isBlank() ? "an error without a message was thrown" : message;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
