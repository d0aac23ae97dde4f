package io.scriptforge.sandbox.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.sandbox.JsEngine;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host bridge as a library sees it: a call that fits its declaration runs; anything else throws at the call. */
class HostBridgeTest {
    private static JsEngine engine;
    private static Context context;
    private static Value kernel;
    private final List<String> calls = new ArrayList<>();

    @BeforeAll
    static void openContext() {
        engine = new JsEngine();
        context = engine.newContext();
        kernel = engine.sandboxKernel(context);
    }

    @AfterAll
    static void closeContext() {
        context.close(true);
        engine.close();
    }

    private Value library(String body) {
        Value host = Value.asValue(new HostBridge("host", kernel)
                .procedure(
                        "log",
                        Param.string("level"),
                        Param.string("line"),
                        (level, line) -> calls.add(level + ":" + line))
                .function(
                        "get",
                        Param.string("key"),
                        Param.optionalLong("ttl"),
                        (key, ttl) -> key.equals("missing") ? null : key + "/" + ttl)
                .function("refuse", Param.string("why"), why -> {
                    throw new HostFailure("refused: " + why);
                })
                .function("broken", () -> {
                    throw new IllegalStateException("a defect of the runner");
                })
                .procedure("flag", Param.bool("on"), on -> calls.add("flag:" + on))
                .build());
        return context.eval("js", "(function (host) { " + body + " })").execute(host);
    }

    /** What a thrown error looks like to the library: its class and message. */
    private String caught(String call) {
        return library("try { " + call
                        + "; return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; }")
                .asString();
    }

    @Test
    void aCallThatFitsItsDeclarationReachesTheBodyWithJavaValues() {
        assertThat(library("host.log('info', 'hello'); host.flag(true); return host.get('k', 30);")
                        .asString())
                .isEqualTo("k/30");
        assertThat(calls).containsExactly("info:hello", "flag:true");
    }

    @Test
    void anOptionalParameterTakesNullUndefinedOrNothing() {
        assertThat(library("return [host.get('a', null), host.get('b', undefined), host.get('c')].join();")
                        .asString())
                .isEqualTo("a/null,b/null,c/null");
    }

    @Test
    void nothingCrossesBackAsNull() {
        assertThat(library("return host.get('missing') === null;").asBoolean()).isTrue();
    }

    @Test
    void anArgumentOfTheWrongTypeIsATypeErrorNamingTheParameter() {
        assertThat(caught("host.log('info', 42)"))
                .isEqualTo("TypeError: host.log(level, line): line must be a string, not the number 42");
        assertThat(caught("host.get('k', 1.5)"))
                .isEqualTo("TypeError: host.get(key, ttl): ttl must be an integer or null, not the number 1.5");
        assertThat(caught("host.flag('yes')"))
                .isEqualTo("TypeError: host.flag(on): on must be a boolean, not a string");
        assertThat(calls).isEmpty();
    }

    @Test
    void aMissingOrAnExtraArgumentIsATypeError() {
        assertThat(caught("host.log('info')"))
                .isEqualTo("TypeError: host.log(level, line): line must be a string, not missing");
        assertThat(caught("host.log('info', 'a', 'b')"))
                .isEqualTo("TypeError: host.log(level, line) takes 2 argument(s), not 3");
        assertThat(calls).isEmpty();
    }

    @Test
    void aHostFailureIsAnErrorTheLibraryCanCatch() {
        assertThat(caught("host.refuse('quota')")).isEqualTo("Error: refused: quota");
        assertThat(library("try { host.refuse('x'); } catch (e) { return e instanceof Error; }")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aDefectOfTheRunnerIsNotDressedUpAsTheScriptsError() {
        assertThatThrownBy(() -> library("return host.broken();"))
                .isInstanceOf(PolyglotException.class)
                .satisfies(e ->
                        assertThat(((PolyglotException) e).isHostException()).isTrue());
    }

    @Test
    void theObjectIsOnlyWhatWasDeclared() {
        assertThat(library("return typeof host.exit + ',' + Object.keys(host).sort().join();")
                        .asString())
                .isEqualTo("undefined,broken,flag,get,log,refuse");
    }

    @Test
    void aFunctionIsDeclaredOnce() {
        HostBridge bridge = new HostBridge("host", kernel).procedure("log", () -> {});
        assertThatThrownBy(() -> bridge.procedure("log", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("host.log is declared twice");
    }
}
