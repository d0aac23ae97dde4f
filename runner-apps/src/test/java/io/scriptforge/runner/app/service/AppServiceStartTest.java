package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.syntax.LocatedError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting a service: its files in order, all or nothing, errors named by file, line and column. */
class AppServiceStartTest {
    @Test
    void filesRunInEvalOrderWithAFolderWildcardExpandedInPathOrder() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("start-order")
                .extraFile("first.js", "const order = ['first'];")
                .extraFile("lib/b.js", "order.push('lib/b');")
                .extraFile("lib/a.js", "order.push('lib/a');")
                .extraFile("lib/notes.txt", "not JavaScript")
                .extraFile("main.js", "order.push('main');\nWebServer.onrequest('order', () => ({ body: order }));")
                .eval("first.js", "lib/*", "main.js")
                .start()) {
            assertThat(app.manifest.evalFiles()).containsExactly("first.js", "lib/a.js", "lib/b.js", "main.js");
            assertThat(app.getJson("order").toString()).isEqualTo("[\"first\",\"lib/a\",\"lib/b\",\"main\"]");
            assertThat(app.service.state()).isEqualTo("running");
        }
    }

    @Test
    void aSyntaxErrorNamesItsFileLineAndColumnAndNothingOfTheAppRuns() {
        ServiceFixture app = ServiceFixture.app("start-syntax")
                .schema("CREATE TABLE marks (what TEXT)")
                .file("a.js", """
                        Database.insert("INSERT INTO marks (what) VALUES (?)", 'a.js ran');
                        setTimeout(() => log('timer ran'), 1);
                        WebServer.onrequest('x', () => 'x');
                        new JsonApi('com.example.a');""")
                .file("b.js", "const fine = 1;\nconst broken = (;\n")
                .build();

        LocatedError error = catchThrowableOfType(LocatedError.class, app.service::start);

        assertThat(error.file()).isEqualTo("b.js");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(17);
        assertThat(error.reason()).startsWith("SyntaxError: ").doesNotContain("b.js:1:");
        assertThat(error.getMessage()).startsWith("b.js:2:17: SyntaxError: ");
        assertThat(app.service.state()).isEqualTo("failed: " + error.getMessage());
        // What a.js set in motion was held back until every file had run, then dropped.
        assertThat(app.service.pendingTimers()).isZero();
        assertThat(app.rows("SELECT * FROM " + app.table("marks"))).isEmpty();
        assertThat(app.service.handles(ServiceFixture.message("{\"api\": \"com.example.a\"}")))
                .isFalse();
        ServiceFixture.Response answer = app.get("x");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.text()).contains("not running").contains("b.js:2:17");
        app.close();
    }

    @Test
    void anErrorThrownAtTopLevelNamesTheFrameInTheAppsOwnFiles() {
        ServiceFixture app = ServiceFixture.app("start-throw")
                .configItem("url", "{\"type\": \"STRING\"}")
                .file("lib.js", """
                        function required(value, name) {
                          if (!value) {
                            throw new Error(name + ' is not configured');
                          }
                          return value;
                        }""")
                .file("main.js", "\n\nconst url = required(Config.url, 'url');\n")
                .build();

        LocatedError error = catchThrowableOfType(LocatedError.class, app.service::start);

        assertThat(error.file()).isEqualTo("lib.js");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.column()).isEqualTo(11);
        assertThat(error.reason()).isEqualTo("Error: url is not configured");
        assertThat(app.service.running()).isFalse();
        app.close();
    }

    @Test
    void aTopLevelLoopIsStoppedAfterTheCallTimeoutAndNamed() {
        ServiceFixture app = ServiceFixture.app("start-loop")
                .callTimeout(Duration.ofMillis(300))
                .file("spin.js", "let n = 0;\nwhile (true) { n++; }\n")
                .build();

        LocatedError error = catchThrowableOfType(LocatedError.class, app.service::start);

        assertThat(error.file()).isEqualTo("spin.js");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).isEqualTo("its top-level code ran longer than 300 ms and was stopped");
        app.close();
    }

    @Test
    void nothingOfTheHostIsReachable() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("start-sandbox").file("main.js", """
                        const names = ['Java', 'Packages', 'Polyglot', 'Graal', 'load', 'loadWithNewGlobal', 'print', 'printErr',
                          'quit', 'exit', 'read', 'readbuffer', 'require', 'process', 'fetch', 'XMLHttpRequest', 'SharedArrayBuffer',
                          'Atomics', 'WebAssembly', 'module', 'exports'];
                        WebServer.onrequest('probe', async () => {
                          const reachable = names.filter((n) => typeof globalThis[n] !== 'undefined');
                          const viaFunction = new Function('return typeof Java + typeof Polyglot')();
                          const viaAsync = await Object.getPrototypeOf(async function () {}).constructor('return typeof Java')();
                          let imported;
                          try { await import('fs'); imported = 'yes'; } catch (e) { imported = 'refused'; }
                          return { body: { reachable, viaFunction, viaAsync, imported } };
                        });""").start()) {
            JsonNode probe = app.getJson("probe");
            assertThat(probe.path("reachable")).isEmpty();
            assertThat(probe.path("viaFunction").asText()).isEqualTo("undefinedundefined");
            assertThat(probe.path("viaAsync").asText()).isEqualTo("undefined");
            assertThat(probe.path("imported").asText()).isEqualTo("refused");
        }
    }

    @Test
    void theGlobalsAreTheDocumentedOnes() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("start-globals").file("main.js", """
                        const api = ['log', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
                          'Database', 'Config', 'JsonApi', 'WebServer', 'Crypto'];
                        WebServer.onrequest('types', () => ({ body: api.map((n) => n + ':' + typeof globalThis[n]) }));""").start()) {
            assertThat(app.getJson("types").toString())
                    .isEqualTo("[\"log:function\",\"console:object\",\"setTimeout:function\","
                            + "\"clearTimeout:function\",\"setInterval:function\",\"clearInterval:function\",\"Database:object\","
                            + "\"Config:object\",\"JsonApi:function\",\"WebServer:object\",\"Crypto:object\"]");
        }
    }
}
