package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What a script may count on: main's forms, modules, process.env, and what each type allows. */
@QuarkusTest
class ScriptSemanticsComponentTest extends RunnerTestBase {
    private String message(HttpResponse<String> response) {
        return RunnerClient.json(response).path("error").path("message").asText();
    }

    @Test
    void asyncMainAndPromisesWorkForApps() {
        String uuid = runner.deploy(
                "sem-async",
                "app",
                "async function main(data) {\n  await new Promise((r) => setTimeout(r, 20));\n  return { waited: true, n: data.n };\n}");
        assertThat(runner.postJson(uuid, "{\"n\":3}").body()).isEqualTo("{\"waited\":true,\"n\":3}");
    }

    @Test
    void commonJsExportsOfMainWork() {
        String uuid = runner.deploy("sem-cjs", "script", "module.exports = { main: (data) => 'cjs ' + data.x };");
        assertThat(runner.postJson(uuid, "{\"x\":1}").body()).isEqualTo("cjs 1");
    }

    @Test
    void esModulesExportMainAndImportOtherScriptsOfTheNamespace() {
        runner.deploy("sem-esm-lib", "script", "export function twice(x) { return x * 2; }");
        runner.deploy("sem-cjs-lib", "script", "module.exports = { run: () => 14 };");
        String uuid = runner.deploy(
                "sem-esm",
                "script",
                "import { twice } from './sem-esm-lib';\nimport cjs from 'sem-cjs-lib';\nlet calls = 0;\nexport function main(data) { calls++; return [twice(data.x), cjs.run(), calls]; }");
        assertThat(runner.postJson(uuid, "{\"x\":21}").body()).isEqualTo("[42,14,1]");
        assertThat(runner.postJson(uuid, "{\"x\":1}").body())
                .as("fresh module state")
                .isEqualTo("[2,14,1]");
        String worker = runner.deploy(
                "sem-esm-worker", "worker", "let calls = 0;\nexport default async function main() { return ++calls; }");
        assertThat(runner.postJson(worker, "{}").body()).isEqualTo("1");
        assertThat(runner.postJson(worker, "{}").body()).isEqualTo("2");
    }

    @Test
    void anEsModulesBodyRunsOncePerInvocationNeverAheadOfIt() {
        // The runner builds each single-use context before its invocation comes: the body must still run only then.
        String uuid = runner.deploy(
                "sem-esm-body",
                "app",
                "kv.incr('sem-esm-body:evaluated');\nexport function main() { return kv.get('sem-esm-body:evaluated'); }");
        long first = Long.parseLong(runner.postJson(uuid, "{}").body());
        for (int i = 1; i <= 3; i++) {
            RunnerClient.sleep(100); // time for the next context to be built
            assertThat(runner.postJson(uuid, "{}").body())
                    .as("evaluations after %d invocations", i + 1)
                    .isEqualTo(String.valueOf(first + i));
        }
    }

    @Test
    void esModulesCannotImportWhatIsNotAScriptOfTheirNamespace() {
        String missing = runner.deploy(
                "sem-esm-missing",
                "script",
                "import { g } from './sem-nowhere';\nexport function main() { return g(); }");
        assertThat(message(runner.postJson(missing, "{}")))
                .contains("sem-nowhere")
                .contains("no Script named");
        String escape = runner.deploy(
                "sem-esm-escape", "app", "export async function main() { return await import('../../etc/passwd'); }");
        assertThat(message(runner.postJson(escape, "{}"))).contains("modules are other Scripts of the namespace");
    }

    @Test
    void requireLoadsTheScriptOfThatNameInTheSameNamespace() {
        runner.deploy("sem-lib", "script", "function run() { return 4 + 10; }\nmodule.exports = { run };");
        String uuid = runner.deploy(
                "sem-user", "script", "const { run } = require('sem-lib');\nfunction main() { return run(); }");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("14");
    }

    @Test
    void aMissingModuleFailsTheInvocationNamingIt() {
        String uuid = runner.deploy("sem-missing", "script", "function main() { return require('no-such-module'); }");
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(message(response)).contains("no-such-module").contains("tests");
    }

    @Test
    void appsMayNotRequireModulesOutsideTheWhitelist() {
        String uuid = runner.deploy(
                "sem-fs", "app", "async function main() { return require('fs').readFileSync('/etc/passwd', 'utf8'); }");
        assertThat(message(runner.postJson(uuid, "{}")))
                .contains("module not allowed")
                .contains("fs");
    }

    @Test
    void processEnvHoldsTheScriptsIdentityAndSpecEnvAndNothingOfTheHost() {
        String uuid = runner.deploy(
                "sem-env", "script", "function main() { return process.env; }", "env: {REGION: eu}", "app: billing");
        JsonNode env = RunnerClient.json(runner.postJson(uuid, "{}"));
        assertThat(env.path("SCRIPTFORGE_UUID").asText()).isEqualTo(uuid);
        assertThat(env.path("SCRIPTFORGE_NAME").asText()).isEqualTo("sem-env");
        assertThat(env.path("SCRIPTFORGE_ID").asText()).isEqualTo("tests/sem-env");
        assertThat(env.path("APP_ID").asText()).isEqualTo("billing");
        assertThat(env.path("EXEC_HOST").asText()).isNotBlank();
        assertThat(env.path("REGION").asText()).isEqualTo("eu");
        assertThat(env.has("PATH")).isFalse();
        assertThat(env.has("HOME")).isFalse();
        assertThat(env.size()).isEqualTo(6);
    }

    @Test
    void typeScriptIsSynchronousOnly() {
        String uuid = runner.deploy("sem-sync", "script", "async function main() { return 1; }");
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(message(response)).contains("synchronous").contains("type 'app'");
        String timers = runner.deploy("sem-sync-timer", "script", "function main() { return typeof setTimeout; }");
        assertThat(runner.postJson(timers, "{}").body()).isEqualTo("undefined");
    }

    @Test
    void typeScriptCannotUseLibraryModules() {
        String uuid = runner.deploy("sem-sync-lib", "script", "function main() { return require('moment')(); }");
        assertThat(message(runner.postJson(uuid, "{}")))
                .contains("moment")
                .contains("type 'script' cannot use library modules");
    }

    @Test
    void scriptAndAppStateIsFreshEveryInvocation() {
        String code =
                "let count = 0;\nfunction main() { count++; globalThis.seen = (globalThis.seen || 0) + 1; return count + ':' + globalThis.seen; }";
        String script = runner.deploy("sem-fresh-script", "script", code);
        String app = runner.deploy("sem-fresh-app", "app", code);
        for (int i = 0; i < 5; i++) {
            assertThat(runner.postJson(script, "{}").body()).isEqualTo("1:1");
            assertThat(runner.postJson(app, "{}").body()).isEqualTo("1:1");
        }
    }

    @Test
    void workerStateIsKeptBetweenInvocations() {
        String uuid = runner.deploy(
                "sem-worker", "worker", "let count = 0;\nasync function main() { count += 1; return count; }");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("1");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("2");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("3");
    }

    @Test
    void aWorkerKeepsItsStateWhenAnInvocationTimesOutWhileWaiting() {
        String uuid = runner.deploy(
                "sem-worker-timeout",
                "worker",
                "let count = 0;\nasync function main(d) { count += 1; if (d.wait) await new Promise((r) => setTimeout(r, 2000)); return count; }",
                "timeout: 300ms");
        assertThat(runner.postJson(uuid, "{\"wait\":true}").statusCode()).isEqualTo(504);
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("2");
    }

    @Test
    void aPromiseThatCanNeverSettleAnswersTheTimeoutActionAtOnceInsteadOfHanging() {
        String uuid = runner.deploy(
                "sem-never",
                "app",
                "function main() { return new Promise(() => {}); }",
                "timeout: 10s",
                "timeoutAction: \"480 Temporarily Unavailable\"");
        long start = System.nanoTime();
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
        assertThat(response.statusCode())
                .as("no result, as after a timeout: the Script's timeoutAction")
                .isEqualTo(480);
        assertThat(message(response)).contains("never settled");
        String defaulted = runner.deploy(
                "sem-never-default", "app", "function main() { return new Promise(() => {}); }", "timeout: 10s");
        assertThat(runner.postJson(defaulted, "{}").statusCode())
                .as("the default timeoutAction")
                .isEqualTo(504);
    }

    @Test
    void consoleLinesAreKeptPerScriptWithLevelAndInvocationId() {
        String uuid = runner.deploy(
                "sem-logs",
                "script",
                "function main(d) { console.log('hello', {a: 1}); console.warn('careful'); console.error(new Error('bad')); return 'ok'; }");
        runner.post(uuid, null, "", "X-Invocation-Id", "logged-1");
        JsonNode lines = RunnerClient.json(runner.get("/v1/scripts/" + uuid + "/logs?limit=10"))
                .path("lines");
        assertThat(lines.size()).isEqualTo(3);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("log");
        assertThat(lines.get(0).path("message").asText()).isEqualTo("hello {\"a\":1}");
        assertThat(lines.get(0).path("invocationId").asText()).isEqualTo("logged-1");
        assertThat(lines.get(0).path("timestamp").asText()).isNotBlank();
        assertThat(lines.get(1).path("level").asText()).isEqualTo("warn");
        assertThat(lines.get(2).path("message").asText()).contains("Error: bad");
        JsonNode last = RunnerClient.json(runner.get("/v1/scripts/" + uuid + "/logs?limit=1"))
                .path("lines");
        assertThat(last.size()).isEqualTo(1);
        assertThat(last.get(0).path("level").asText()).isEqualTo("error");
    }
}
