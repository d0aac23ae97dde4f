package io.scriptforge.runner.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.SandboxHost;
import io.scriptforge.sandbox.ScriptCompiler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A full JavaScript queue answers 503 at once: it never grows without bound. */
class BackPressureTest {
    private static JsEngine engine;
    private static ScriptCompiler compiler;

    @BeforeAll
    static void engine() {
        engine = new JsEngine();
        compiler = new ScriptCompiler(
                engine, new ObjectMapper(), "test-host", Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static CompiledScript compile(String name, ScriptType type, String code) throws Exception {
        Script script = new Script();
        script.setMetadata(
                new ObjectMetaBuilder().withNamespace("bp").withName(name).build());
        ScriptSpec spec = new ScriptSpec();
        spec.setType(type);
        spec.setCode(code);
        spec.setTimeout("5s");
        script.setSpec(spec);
        return compiler.compile(script);
    }

    @Test
    void whenEveryThreadIsBusyAndTheQueueIsFullNewInvocationsAnswer503() throws Exception {
        InvokerOptions tight = new InvokerOptions(
                1, 1, 8, 8, InvokerOptions.DEFAULT_MEMORY_BUDGET, InvokerOptions.DEFAULT_WORKER_MEMORY_BUDGET);
        try (Invoker invoker = new Invoker(
                engine,
                tight,
                new ObjectMapper(),
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript loop = compile("loop", ScriptType.SCRIPT, "function main() { while (true) {} }");
            CompletableFuture<InvocationResult> running = new CompletableFuture<>();
            CompletableFuture<InvocationResult> queued = new CompletableFuture<>();
            CompletableFuture<InvocationResult> refused = new CompletableFuture<>();
            invoker.start(loop, "running", null, running::complete);
            invoker.start(loop, "queued", null, queued::complete);
            invoker.start(loop, "refused", null, refused::complete);

            InvocationResult answer = refused.get(1, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
                assertThat(f.status().code()).isEqualTo(503);
                assertThat(f.message()).contains("busy");
            });
            assertThat(running).isNotDone();
            invoker.cancel("running");
            invoker.cancel("queued");
            assertThat(running.get(2, TimeUnit.SECONDS)).isInstanceOf(InvocationResult.Failure.class);
        }
    }

    @Test
    void aWorkerServesOneInvocationAtATimeAndBoundsItsWaitingLine() throws Exception {
        InvokerOptions options = new InvokerOptions(
                2, 16, 8, 1, InvokerOptions.DEFAULT_MEMORY_BUDGET, InvokerOptions.DEFAULT_WORKER_MEMORY_BUDGET);
        try (Invoker invoker = new Invoker(
                engine,
                options,
                new ObjectMapper(),
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING))) {
            CompiledScript worker = compile(
                    "slow-worker",
                    ScriptType.WORKER,
                    "let n = 0;\nasync function main() { n++; await new Promise((r) => setTimeout(r, 200)); return n; }");
            CompletableFuture<InvocationResult> first = new CompletableFuture<>();
            CompletableFuture<InvocationResult> second = new CompletableFuture<>();
            CompletableFuture<InvocationResult> third = new CompletableFuture<>();
            invoker.start(worker, "w1", null, first::complete);
            invoker.start(worker, "w2", null, second::complete);
            invoker.start(worker, "w3", null, third::complete);
            assertThat(third.get(1, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            InvocationResult.Failure.class,
                            f -> assertThat(f.status().code()).isEqualTo(503));
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(new InvocationResult.Json("1"));
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(new InvocationResult.Json("2"));
        }
    }
}
