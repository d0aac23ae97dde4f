package io.scriptforge.operator.script;

import io.scriptforge.syntax.JsSyntax;
import io.scriptforge.syntax.LocatedError;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.graalvm.polyglot.Context;

/**
 * The runner's own parser, so Ready=False names the line and column the runner would. The operator only parses:
 * it never runs user code, so the interpreter-only warning is silenced here (the runner keeps the optimizing runtime).
 */
@ApplicationScoped
public class ScriptSyntaxChecker {
    private final Context parser = Context.newBuilder("js")
            .allowAllAccess(false)
            .option("engine.WarnInterpreterOnly", "false")
            .build();
    private final JsSyntax syntax = new JsSyntax(parser);

    public JsSyntax.SourceKind check(String code, String fileName) throws LocatedError {
        return syntax.check(code, fileName);
    }

    @PreDestroy
    void close() {
        parser.close(true);
    }
}
