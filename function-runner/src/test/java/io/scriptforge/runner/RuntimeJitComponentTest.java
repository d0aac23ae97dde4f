package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.sandbox.JsEngine;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Interpreter-only GraalJS is ~25x slower: shipping it by accident must fail the build. */
@QuarkusTest
class RuntimeJitComponentTest {
    @Inject
    JsEngine engine;

    @Test
    void theOptimizingTruffleRuntimeIsActive() {
        assertThat(engine.runtimeName()).isNotEqualTo(JsEngine.FALLBACK_RUNTIME);
        assertThat(engine.isOptimizing())
                .as(
                        "GraalJS runs on '%s': start the JVM with target/jvm.args (Graal compiler on the upgrade module path)",
                        engine.runtimeName())
                .isTrue();
    }
}
