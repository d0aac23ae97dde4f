package io.scriptforge.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class JsSyntaxTest {
    private static final Context PARSER = Context.newBuilder("js")
            .option("engine.WarnInterpreterOnly", "false")
            .build();
    private static final JsSyntax SYNTAX = new JsSyntax(PARSER);

    @AfterAll
    static void close() {
        PARSER.close();
    }

    @Test
    void commonJsParsesAsCommonJs() throws LocatedError {
        assertThat(SYNTAX.check("function main(data) { return data; }\nmodule.exports = { main };", "ns/a.js"))
                .isEqualTo(JsSyntax.SourceKind.COMMONJS);
    }

    @Test
    void importAndExportMakeAnEsModule() throws LocatedError {
        assertThat(SYNTAX.check("import x from 'lib';\nexport function main() { return x; }", "ns/a.js"))
                .isEqualTo(JsSyntax.SourceKind.ES_MODULE);
    }

    @Test
    void aSyntaxErrorNamesFileLineAndColumn() {
        assertThatThrownBy(() -> SYNTAX.check("function main() {\n  return 1 +;\n}", "ns/broken.js"))
                .isInstanceOfSatisfying(LocatedError.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(13); // the ';' after "  return 1 +", counted from 1
                    assertThat(e.getMessage())
                            .isEqualTo(
                                    "syntax error at ns/broken.js:2:13: SyntaxError: Expected an operand but found ;");
                });
    }

    @Test
    void codeIsParsedNeverRun() throws LocatedError {
        assertThat(SYNTAX.check("while (true) {}", "ns/loop.js")).isEqualTo(JsSyntax.SourceKind.COMMONJS);
    }
}
