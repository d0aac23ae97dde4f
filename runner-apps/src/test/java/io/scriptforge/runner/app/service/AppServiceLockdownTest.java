package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.sandbox.BuiltInHooks;
import io.scriptforge.syntax.LocatedError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An App's context is locked down as a Script's is, on the same sandbox kernel, before the app's first file runs. */
class AppServiceLockdownTest {
    @Test
    void noAppFileCanReplaceABuiltInTheServiceLibraryCalls() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("lockdown-hooks")
                .file("main.js", BuiltInHooks.SOURCE + """
                const reached = [];
                const hooked = tryBuiltInHooks(reached);
                const api = new JsonApi('probe');
                WebServer.onrequest('probe', async () => {
                  await new Promise((resolve) => setTimeout(resolve, 1));
                  const rows = await Database.exec('SELECT 1 AS one');
                  const more = tryBuiltInHooks(reached);
                  return { body: { hooked, more, reached, rows, api: api.name, uuid: typeof Crypto.randomUUID() } };
                });""")
                .start()) {
            JsonNode answer = app.getJson("probe");
            assertThat(answer.path("hooked").isArray()).as(answer.toString()).isTrue();

            assertThat(answer.path("hooked"))
                    .as("the hooks that took at the file's top level")
                    .isEmpty();
            assertThat(answer.path("more"))
                    .as("the hooks that took in a request handler")
                    .isEmpty();
            assertThat(answer.path("reached")).as("the spies that were called").isEmpty();
            assertThat(answer.path("rows").toString()).isEqualTo("[{\"one\":1}]");
            assertThat(answer.path("api").asText()).isEqualTo("probe");
            assertThat(answer.path("uuid").asText()).isEqualTo("string");
        }
    }

    @Test
    void everyIntrinsicIsFrozenAndTheLibrarysGlobalsToo() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("lockdown-frozen").file("main.js", """
                WebServer.onrequest('frozen', () => {
                  const prototypes = [Object.prototype, Array.prototype, Function.prototype, Promise.prototype, Map.prototype,
                    Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(async function () {})];
                  const library = [Database, WebServer, Crypto, JsonApi, JsonApi.prototype, setTimeout, log, console];
                  return { body: {
                    unfrozen: [...prototypes, ...library].map((o, i) => Object.isFrozen(o) ? -1 : i).filter((i) => i >= 0),
                    ownGlobal: (globalThis.mine = 1, typeof mine),
                    overridden: (() => { function P() {} P.prototype.toString = () => 'mine'; return String(new P()); })(),
                  } };
                });""").start()) {
            JsonNode answer = app.getJson("frozen");
            assertThat(answer.path("unfrozen").isArray()).as(answer.toString()).isTrue();

            assertThat(answer.path("unfrozen"))
                    .as("indexes of what is not frozen")
                    .isEmpty();
            assertThat(answer.path("ownGlobal").asText())
                    .as("an app still makes globals of its own")
                    .isEqualTo("number");
            assertThat(answer.path("overridden").asText())
                    .as("overriding an inherited built-in by assignment still works")
                    .isEqualTo("mine");
        }
    }

    /** A built-in global is fixed: a file that declares one again fails the start, saying which file and line. */
    @ParameterizedTest
    @ValueSource(strings = {"let Map = 1;", "function escape(text) { return text; }", "Promise = null;"})
    void aFileThatRedeclaresABuiltInGlobalFailsTheStartNamingItsPlace(String declaration) {
        ServiceFixture app = ServiceFixture.app("lockdown-redeclare")
                .file("main.js", "'use strict';\nconst fine = 1;\n" + declaration + "\n")
                .build();

        LocatedError error = catchThrowableOfType(LocatedError.class, app.service::start);

        assertThat(error).as("the start fails").isNotNull();
        assertThat(error.getMessage()).startsWith("main.js:");
        assertThat(app.service.state()).startsWith("failed: main.js:");
        app.close();
    }
}
