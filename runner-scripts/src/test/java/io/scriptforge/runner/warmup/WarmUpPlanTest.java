package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.crd.RoutingPriority;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.crd.SipStatus;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which Scripts a warm-up runs, and in which turn. */
class WarmUpPlanTest {
    private static final ScriptRegistry.Entry BUILT_IN =
            entry("scriptforge-warm-up", "warm-up", ScriptType.SCRIPT, false, true);
    private static final List<String> BODIES = List.of("{\"round\":0}", "{\"round\":1}");

    @Test
    void scriptsAreWarmedAndWorkersAppsAndScriptsThatDidNotLoadAreSkippedSayingWhy() {
        WarmUpPlan plan = new WarmUpPlan(
                BUILT_IN,
                BODIES,
                List.of(
                        entry("shop", "hello", ScriptType.SCRIPT, false, true),
                        entry("shop", "esm", ScriptType.SCRIPT, true, true),
                        entry("shop", "counter", ScriptType.WORKER, false, true),
                        entry("shop", "service", ScriptType.APP, false, true),
                        entry("shop", "broken", ScriptType.SCRIPT, false, false)));

        assertThat(plan.warming()).isEqualTo(2);
        assertThat(plan.skipped()).containsOnlyKeys("shop/counter", "shop/service", "shop/broken");
        assertThat(plan.skipped().get("shop/counter")).startsWith("worker");
        assertThat(plan.skipped().get("shop/service")).startsWith("app");
        assertThat(plan.skipped().get("shop/broken")).isEqualTo("not loaded");
    }

    @Test
    void thePoolsScriptsTakeTurnsWithTheirVarsAndTheBuiltInScriptStaysOut() {
        WarmUpPlan plan = new WarmUpPlan(
                BUILT_IN,
                BODIES,
                List.of(
                        entry("shop", "a", ScriptType.SCRIPT, false, true),
                        entry("shop", "b", ScriptType.SCRIPT, false, true),
                        entry("shop", "c", ScriptType.SCRIPT, false, true)));
        assertThat(turns(plan, 7))
                .containsExactly("shop/a", "shop/b", "shop/c", "shop/a", "shop/b", "shop/c", "shop/a");
    }

    @Test
    void withoutScriptsOfItsOwnThePoolIsWarmedByTheBuiltInScriptWithItsBodiesInTurn() {
        WarmUpPlan plan = new WarmUpPlan(BUILT_IN, BODIES, List.of());
        assertThat(turns(plan, 3))
                .containsExactly(
                        "scriptforge-warm-up/warm-up {\"round\":0}",
                        "scriptforge-warm-up/warm-up {\"round\":1}",
                        "scriptforge-warm-up/warm-up {\"round\":0}");
    }

    private static List<String> turns(WarmUpPlan plan, int count) {
        List<String> turns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WarmUpPlan.Target target = plan.next();
            turns.add(target.name() + (target.body() == null ? "" : " " + target.body()));
        }
        return turns;
    }

    @Test
    void withoutScriptsOfItsOwnThePoolIsWarmedByTheBuiltInScriptAlone() {
        WarmUpPlan plan =
                new WarmUpPlan(BUILT_IN, BODIES, List.of(entry("shop", "counter", ScriptType.WORKER, false, true)));
        for (int i = 0; i < 4; i++) {
            assertThat(plan.next().builtIn()).isTrue();
        }
    }

    @Test
    void aScriptWhoseWarmUpTimesOutTwiceLeavesTheRotationAndIsReportedAndTheBuiltInScriptTakesOver() {
        WarmUpPlan plan =
                new WarmUpPlan(BUILT_IN, BODIES, List.of(entry("shop", "slow", ScriptType.SCRIPT, false, true)));
        WarmUpPlan.Target slow = plan.next();

        plan.timedOut(slow);
        assertThat(plan.warming()).isEqualTo(1);
        plan.timedOut(slow);
        WarmUpPlan.Target builtIn = plan.next();
        assertThat(builtIn.builtIn()).isTrue();
        plan.timedOut(builtIn);
        plan.timedOut(builtIn);

        assertThat(plan.warming()).isZero();
        assertThat(plan.skipped()).containsOnlyKeys("shop/slow");
        assertThat(plan.skipped().get("shop/slow"))
                .startsWith("its warm-up invocations ran into its timeout (1000 ms)");
        for (int i = 0; i < 4; i++) {
            assertThat(plan.next().builtIn()).isTrue();
        }
    }

    @Test
    void aScriptOfThePoolWarmsUpForItsOwnTimeoutAtMostTenSeconds() {
        WarmUpPlan plan =
                new WarmUpPlan(BUILT_IN, BODIES, List.of(entry("shop", "quick", ScriptType.SCRIPT, false, true)));
        assertThat(plan.next().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(WarmUpPlan.timeoutOf(entry("shop", "patient", ScriptType.SCRIPT, false, true, Duration.ofMinutes(5))
                        .compiled()))
                .isEqualTo(WarmUpPlan.POOL_SCRIPT_TIMEOUT);
    }

    private static ScriptRegistry.Entry entry(
            String namespace, String name, ScriptType type, boolean esModule, boolean loaded) {
        return entry(namespace, name, type, esModule, loaded, Duration.ofSeconds(1));
    }

    private static ScriptRegistry.Entry entry(
            String namespace, String name, ScriptType type, boolean esModule, boolean loaded, Duration timeout) {
        String uuid = java.util
                .UUID
                .nameUUIDFromBytes((namespace + "/" + name).getBytes())
                .toString();
        CompiledScript compiled = loaded
                ? new CompiledScript(
                        namespace,
                        name,
                        uuid,
                        type,
                        "hash",
                        "function main() {}",
                        esModule,
                        null,
                        null,
                        "{}",
                        timeout,
                        SipStatus.GATEWAY_TIMEOUT,
                        new AtomicBoolean())
                : null;
        return new ScriptRegistry.Entry(
                namespace + "/" + name + ".yaml",
                1,
                namespace,
                name,
                uuid,
                type,
                compiled,
                loaded ? null : "syntax error",
                RoutingPriority.DISABLED,
                null,
                io.scriptforge.runner.registry.InvokeAccess.OPEN);
    }
}
