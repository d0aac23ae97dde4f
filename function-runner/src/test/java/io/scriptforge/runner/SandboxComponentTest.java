package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.sandbox.BuiltInHooks;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deny by default, no leaks, and runaway code stopped while everyone else keeps being served. */
@QuarkusTest
class SandboxComponentTest extends RunnerTestBase {
    @Test
    void nothingOfTheHostIsReachable() {
        String uuid = runner.deploy("sbx-globals", "app", """
                function main() {
                  const names = ['Java', 'Packages', 'Polyglot', 'Graal', 'load', 'loadWithNewGlobal', 'print', 'printErr',
                    'quit', 'exit', 'read', 'readbuffer', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'XMLHttpRequest', 'Deno', 'Bun'];
                  const found = names.filter((n) => typeof globalThis[n] !== 'undefined');
                  return { found, processKeys: Object.keys(process) };
                }""");
        JsonNode answer = RunnerClient.json(runner.postJson(uuid, "{}"));
        assertThat(answer.path("found")).isEmpty();
        assertThat(answer.path("processKeys").toString()).isEqualTo("[\"env\"]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "return Java.type('java.lang.Runtime');",
                "return Polyglot.eval('js', '1');",
                "return load('/etc/passwd');",
                "return import('fs');",
                "return new Function('return this')().Java.type('java.lang.System');",
                "return Object.getPrototypeOf(async function(){}).constructor('return Java')();",
            })
    void escapeAttemptsFail(String body) {
        String uuid = runner.deploy(
                "sbx-escape-" + Integer.toHexString(body.hashCode()), "app", "async function main() { " + body + " }");
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    }

    @Test
    void builtInsAreFrozenSoNoInvocationCanPolluteTheNext() {
        String polluter = runner.deploy("sbx-polluter", "script", """
                function main() {
                  try { Object.prototype.polluted = 'yes'; } catch (e) { }
                  try { Array.prototype.map = function () { return 'hijacked'; }; } catch (e) { }
                  try { JSON.stringify = () => 'hijacked'; } catch (e) { }
                  return [({}).polluted === undefined, [1].map((x) => x)[0] === 1, JSON.stringify(1) === '1'].join(',');
                }""");
        assertThat(runner.postJson(polluter, "{}").body()).isEqualTo("true,true,true");
        String observer = runner.deploy(
                "sbx-observer",
                "script",
                "function main() { return [({}).polluted, [1].map((x) => x + 1)[0], JSON.stringify({a: 1})].join('|'); }");
        assertThat(runner.postJson(observer, "{}").body()).isEqualTo("|2|{\"a\":1}");
        assertThat(runner.postJson(polluter, "{}").body()).isEqualTo("true,true,true");
    }

    @Test
    void overridingInheritedBuiltInsByAssignmentStillWorks() {
        String uuid = runner.deploy("sbx-override", "script", """
                function MyError(message) { this.message = message; }
                MyError.prototype = Object.create(Error.prototype);
                MyError.prototype.name = 'MyError';
                MyError.prototype.toString = function () { return this.name + '! ' + this.message; };
                function main() { const point = { x: 1 }; point.toString = () => 'P'; return String(new MyError('m')) + ' ' + point; }""");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("MyError! m P");
    }

    @Test
    void globalsSetByOneInvocationAreGoneNextTimeAndNeverSeenByAnotherScript() {
        String writer = runner.deploy(
                "sbx-writer",
                "script",
                "function main() { const before = typeof leaked; leaked = 42; globalThis.console2 = 1; return before; }");
        assertThat(runner.postJson(writer, "{}").body()).isEqualTo("undefined");
        assertThat(runner.postJson(writer, "{}").body()).isEqualTo("undefined");
        String reader = runner.deploy("sbx-reader", "worker", "async function main() { return typeof leaked; }");
        assertThat(runner.postJson(reader, "{}").body()).isEqualTo("undefined");
        String workerWriter = runner.deploy(
                "sbx-worker-writer",
                "worker",
                "async function main() { globalThis.mine = (globalThis.mine || 0) + 1; return mine; }");
        runner.postJson(workerWriter, "{}");
        assertThat(runner.postJson(reader, "{}").body()).isEqualTo("undefined");
    }

    @Test
    void promiseJobsThatRunAfterMainReturnedAreResetToo() {
        String uuid = runner.deploy(
                "sbx-microtask",
                "app",
                "function main(d) { const before = String(globalThis.stash); Promise.resolve().then(() => { globalThis.stash = d.secret; }); return before; }");
        assertThat(runner.postJson(uuid, "{\"secret\":\"alice\"}").body()).isEqualTo("undefined");
        assertThat(runner.postJson(uuid, "{\"secret\":\"bob\"}").body()).isEqualTo("undefined");
    }

    @Test
    void changingTheGlobalObjectsPrototypeDoesNotReachTheNextInvocation() {
        String uuid = runner.deploy(
                "sbx-global-proto",
                "script",
                "function main(d) { const seen = typeof stash; try { Object.setPrototypeOf(globalThis, { stash: d.secret }); } catch (e) { } return seen; }");
        assertThat(runner.postJson(uuid, "{\"secret\":\"alice\"}").body()).isEqualTo("undefined");
        assertThat(runner.postJson(uuid, "{\"secret\":\"bob\"}").body()).isEqualTo("undefined");
    }

    @Test
    void intrinsicsReachableOnlyThroughObjectsAreFrozenToo() {
        String uuid = runner.deploy("sbx-hidden", "script", """
                function main() {
                  const makers = [
                    () => [].values().map((x) => x), () => Iterator.from({ next() { return { done: true }; } }),
                    () => new Intl.Segmenter().segment('a'), () => new Intl.Segmenter().segment('a')[Symbol.iterator](),
                    () => [][Symbol.iterator](), () => new Map().entries(), () => 'a'.matchAll(/a/g),
                    // a generator's own prototype is per function (user state); the intrinsic is the next one up
                    () => Object.getPrototypeOf((function* () {})()), () => Object.getPrototypeOf((async function* () {})()),
                    () => new Uint8Array(1),
                  ];
                  const unfrozen = [];
                  makers.forEach((make, i) => {
                    let o; try { o = make(); } catch (e) { return; }
                    for (let p = Object.getPrototypeOf(o); p !== null; p = Object.getPrototypeOf(p)) {
                      if (!Object.isFrozen(p)) unfrozen.push(i);
                    }
                  });
                  return unfrozen;
                }""");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("[]");
    }

    /**
     * Every kind of Script context is locked down before user code runs: a context reused by the next invocation
     * (CommonJS), one made for a single invocation (an ES module of type app) and a worker's. With no built-in
     * replaceable, the runtime's module loader, its npm loader and the Node core shims behind fetch are out of reach.
     */
    @ParameterizedTest
    @ValueSource(strings = {"script commonjs", "app commonjs", "app module", "worker module"})
    void noKindOfContextLetsUserCodeReplaceABuiltInTheRuntimeCalls(String kind) {
        String type = kind.split(" ")[0];
        boolean module = kind.endsWith("module");
        String body = type.equals("script")
                ? "const reached = []; const hooked = tryBuiltInHooks(reached); return { hooked, reached };"
                : """
                const reached = [];
                const hooked = tryBuiltInHooks(reached);
                let loaded;
                try { loaded = typeof %s; } catch (e) { loaded = String(e); }
                try { await fetch('http://127.0.0.1:9/'); } catch (e) { }
                return { hooked, reached, loaded };""".formatted(module ? "(await import('moment')).default" : "require('moment')");
        String code = BuiltInHooks.SOURCE + (module ? "export " : "") + (type.equals("script") ? "" : "async ")
                + "function main() {\n" + body + "\n}";
        HttpResponse<String> response =
                runner.postJson(runner.deploy("sbx-hooks-" + kind.replace(' ', '-'), type, code), "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = RunnerClient.json(response);
        assertThat(answer.path("hooked").isArray()).as(response.body()).isTrue();
        assertThat(answer.path("hooked")).as("the hooks that took").isEmpty();
        assertThat(answer.path("reached")).as("the spies that were called").isEmpty();
        if (!type.equals("script")) {
            assertThat(answer.path("loaded").asText())
                    .as("an npm module loads in a locked-down context")
                    .isEqualTo("function");
        }
    }

    @Test
    void regexpLegacyStaticsDoNotCarryTheLastCallersMatch() {
        String uuid = runner.deploy(
                "sbx-regexp-statics",
                "script",
                "function main(d) { const before = String(RegExp.$1 || ''); if (d.text) /(\\w+)/.exec(d.text); return before; }");
        runner.postJson(uuid, "{\"text\":\"secret\"}");
        assertThat(runner.postJson(uuid, "{}").body()).isEmpty();
    }

    @Test
    void anEsModuleWhoseTopLevelNeverEndsIsStoppedAndStarvesNoOne() {
        String spinner = runner.deploy(
                "sbx-esm-spin", "app", "while (true) {}\nexport function main() { return 'never'; }", "timeout: 300ms");
        String hello = runner.deploy("sbx-esm-hello", "script", "function main() { return 'alive'; }");
        RunnerClient.sleep(300);
        assertThat(runner.postJson(hello, "{}").body()).isEqualTo("alive");
        assertThat(runner.postJson(spinner, "{}").statusCode()).isEqualTo(504);
        assertThat(runner.postJson(hello, "{}").body()).isEqualTo("alive");
    }

    @Test
    void anInfiniteLoopIsStoppedAtItsTimeoutAndTheRunnerKeepsServing() {
        String loop = runner.deploy("sbx-loop", "script", "function main() { while (true) {} }", "timeout: 300ms");
        String hello = runner.deploy("sbx-hello", "script", "function main() { return 'alive'; }");
        var stuck = runner.postAsync(loop, "{}");
        RunnerClient.sleep(50);
        long start = System.nanoTime();
        assertThat(runner.postJson(hello, "{}").body()).isEqualTo("alive");
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("a runaway script must not delay others")
                .isLessThan(250);
        HttpResponse<String> stopped = stuck.join();
        assertThat(stopped.statusCode()).isEqualTo(504);
        assertThat(runner.postJson(loop, "{}").statusCode())
                .as("the script itself still runs next time")
                .isEqualTo(504);
        assertThat(runner.postJson(hello, "{}").body()).isEqualTo("alive");
    }

    @Test
    void deepRecursionFailsWithAClearError() {
        String uuid = runner.deploy(
                "sbx-recursion", "script", "function f(n) { return f(n + 1) + 1; }\nfunction main() { return f(0); }");
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(RunnerClient.json(response).path("error").path("message").asText())
                .contains("RangeError")
                .containsIgnoringCase("stack");
    }

    @Test
    void aHugeAllocationIsStoppedByTheMemoryBudget() {
        String uuid = runner.deploy(
                "sbx-memory",
                "script",
                "function main() { const hoard = []; while (true) { hoard.push(new Array(100000).fill(hoard.length)); } }",
                "timeout: 20s");
        long start = System.nanoTime();
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(RunnerClient.json(response).path("error").path("message").asText())
                .contains("memory budget exceeded");
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("stopped long before its timeout")
                .isLessThan(10_000);
        String hello = runner.deploy("sbx-after-memory", "script", "function main() { return 'alive'; }");
        assertThat(runner.postJson(hello, "{}").body()).isEqualTo("alive");
    }

    @Test
    void aCatastrophicRegexIsStoppedAtItsTimeout() {
        String uuid = runner.deploy(
                "sbx-regex",
                "script",
                "function main() { return /^(a+)+\\1$/.test('a'.repeat(40) + 'b'); }",
                "timeout: 500ms");
        long start = System.nanoTime();
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(600 + 400);
    }
}
