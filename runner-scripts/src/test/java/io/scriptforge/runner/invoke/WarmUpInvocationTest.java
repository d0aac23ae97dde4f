package io.scriptforge.runner.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.runner.egress.HostHttp;
import io.scriptforge.runner.egress.HostSockets;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.SandboxHost;
import io.scriptforge.sandbox.ScriptCompiler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A warm-up invocation runs main for real, but every host effect is refused and nothing of it is kept. */
class WarmUpInvocationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a first call on a cold engine, which loads the npm modules' shims for fetch: seconds, more on a busy machine. */
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(60);

    private static JsEngine engine;
    private static ScriptCompiler compiler;

    @BeforeAll
    static void engine() {
        engine = new JsEngine();
        compiler = new ScriptCompiler(engine, JSON, "test-host", Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void aWarmUpRefusesKvJobsAndEgressAndKeepsNoConsoleLine() throws Exception {
        AtomicInteger egress = new AtomicInteger();
        HostHttp countingHttp = (request, body, remaining, onDone) -> {
            egress.incrementAndGet();
            return HostHttp.refusing("a real request").send(request, body, remaining, onDone);
        };
        HostSockets countingSockets = (host, port, remaining, events) -> {
            egress.incrementAndGet();
            return HostSockets.refusing("a real connection").connect(host, port, remaining, events);
        };
        ScriptLogs logs = new ScriptLogs(10);
        try (Invoker invoker = new Invoker(
                engine,
                InvokerOptions.defaults(),
                JSON,
                ScriptServices.logsAndModules(logs, name -> SandboxHost.ModuleLookup.MISSING)
                        .withNetwork(countingHttp, countingSockets))) {
            CompiledScript effects = compile("effects", ScriptType.APP, "30s", """
                    async function main(data, ctx) {
                      const refused = (f) => { try { f(); return 'done'; } catch (e) { return e.message; } };
                      console.log('a line nobody may read');
                      let fetched;
                      try { await fetch('https://example.org/'); fetched = 'done'; } catch (e) { fetched = [e.message, e.cause && e.cause.code, e.cause && e.cause.message].join(' | '); }
                      return {
                        trigger: ctx.trigger, vars: data.who,
                        kv: refused(() => kv.set('k', 1)), jobs: refused(() => jobs.enqueue('effects', {})), fetch: fetched,
                      };
                    }""");

            JsonNode answer = JSON.readTree(body(warmUp(invoker, effects)));

            assertThat(answer.path("trigger").toString()).isEqualTo("{\"type\":\"warmup\"}");
            assertThat(answer.path("vars").asText()).isEqualTo("the vars");
            assertThat(answer.path("kv").asText())
                    .isEqualTo(
                            "kv.set is refused in a warm-up invocation (ctx.trigger.type 'warmup'): it must change no data");
            assertThat(answer.path("jobs").asText()).startsWith("jobs.enqueue is refused in a warm-up invocation");
            assertThat(answer.path("fetch").asText())
                    .contains("EGRESS_DENIED")
                    .contains("a warm-up invocation sends no HTTP requests");
            assertThat(egress).hasValue(0);
            assertThat(logs.recent(effects.uuid(), 10)).isEmpty();
        }
    }

    @Test
    void aWarmUpsTimersNeverFireSoAPromiseWaitingOnOneEndsAtOnce() throws Exception {
        try (Invoker invoker = new Invoker(
                engine,
                InvokerOptions.defaults(),
                JSON,
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript waits = compile(
                    "waits",
                    ScriptType.APP,
                    "30s",
                    "async function main() { await new Promise((resolve) => setTimeout(resolve, 10)); return 'woke'; }");

            InvocationResult answer = warmUp(invoker, waits).get(WARM_UP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);

            assertThat(answer)
                    .isInstanceOfSatisfying(
                            InvocationResult.Failure.class,
                            f -> assertThat(f.message()).contains("never settled"));
        }
    }

    @Test
    void aWarmUpIsNeitherListedNorCancellableAndEndsAtTheWarmUpsTimeoutNotTheScripts() throws Exception {
        try (Invoker invoker = new Invoker(
                engine,
                InvokerOptions.defaults(),
                JSON,
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript loop = compile("loop", ScriptType.SCRIPT, "30s", "function main() { while (true) {} }");
            long started = System.nanoTime();
            CompletableFuture<InvocationResult> done = new CompletableFuture<>();
            invoker.startWarmUp(loop, "warm-up-1", null, Duration.ofSeconds(1), done::complete);

            assertThat(invoker.running()).isEmpty();
            assertThat(invoker.cancel("warm-up-1")).isFalse();
            assertThat(done.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
                assertThat(f.status().code()).isEqualTo(504);
                assertThat(f.message()).contains("timeout of 1000 ms");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
    }

    @Test
    void aWarmUpsCtxDeadlineIsItsOwn() throws Exception {
        try (Invoker invoker = new Invoker(
                engine,
                InvokerOptions.defaults(),
                JSON,
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript patient = compile(
                    "patient",
                    ScriptType.SCRIPT,
                    "55s",
                    "function main(data, ctx) { return ctx.deadline - Date.now(); }");

            CompletableFuture<InvocationResult> done = new CompletableFuture<>();
            invoker.startWarmUp(patient, "warm-up-patient", null, Duration.ofSeconds(30), done::complete);

            assertThat(Long.parseLong(body(done)))
                    .as("the warm-up's 30 s, not the script's 55 s")
                    .isBetween(0L, 30_000L);
        }
    }

    @Test
    void aRequestAfterAWarmUpInTheSameContextKeepsItsConsoleLinesAndReachesKv() throws Exception {
        ScriptLogs logs = new ScriptLogs(10);
        try (Invoker invoker = new Invoker(
                engine,
                InvokerOptions.defaults(),
                JSON,
                ScriptServices.logsAndModules(logs, name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript script = compile("both", ScriptType.SCRIPT, "30s", """
                    function main(data, ctx) {
                      console.log(ctx.trigger ? ctx.trigger.type : 'request');
                      try { kv.get('k'); return 'kv answered'; } catch (e) { return e.message; }
                    }""");
            body(warmUp(invoker, script));

            CompletableFuture<InvocationResult> request = new CompletableFuture<>();
            invoker.start(script, "request-1", null, request::complete);

            assertThat(body(request)).isEqualTo("kv is not available on this runner");
            assertThat(logs.recent(script.uuid(), 10))
                    .extracting(ScriptLogs.Line::message)
                    .containsExactly("request");
        }
    }

    /** The answer's body; a failure fails the test, saying what it was. */
    private static String body(CompletableFuture<InvocationResult> done) throws Exception {
        InvocationResult result = done.get(WARM_UP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        return switch (result) {
            case InvocationResult.Json json -> json.body();
            case InvocationResult.Text text -> text.body();
            default -> throw new AssertionError("expected an answer, got " + result);
        };
    }

    private static CompletableFuture<InvocationResult> warmUp(Invoker invoker, CompiledScript script)
            throws DuplicateInvocationException {
        CompletableFuture<InvocationResult> done = new CompletableFuture<>();
        invoker.startWarmUp(script, "warm-up-" + script.name(), null, WARM_UP_TIMEOUT, done::complete);
        return done;
    }

    private static CompiledScript compile(String name, ScriptType type, String timeout, String code) throws Exception {
        Script script = new Script();
        script.setMetadata(
                new ObjectMetaBuilder().withNamespace("warm").withName(name).build());
        ScriptSpec spec = new ScriptSpec();
        spec.setType(type);
        spec.setCode(code);
        spec.setTimeout(timeout);
        spec.setVars(JSON.createObjectNode().put("who", "the vars"));
        script.setSpec(spec);
        return compiler.compile(script);
    }
}
