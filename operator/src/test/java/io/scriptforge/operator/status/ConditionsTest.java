package io.scriptforge.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void lastTransitionTimeStaysWhileTheStatusDoesNotFlip() {
        ScriptStatus first = decide(null, true, "Ready", "ok", T0);
        ScriptStatus again = decide(first, true, "Ready", "still ok, other words", T0.plusSeconds(60));
        assertThat(again.condition("Ready").orElseThrow().getLastTransitionTime())
                .isEqualTo("2026-01-01T00:00:00Z");
        assertThat(again.condition("Ready").orElseThrow().getMessage()).isEqualTo("still ok, other words");
    }

    @Test
    void lastTransitionTimeMovesWhenTheStatusFlips() {
        ScriptStatus first = decide(null, true, "Ready", "ok", T0);
        ScriptStatus flipped = decide(first, false, "SyntaxError", "broken", T0.plusSeconds(60));
        assertThat(flipped.condition("Ready").orElseThrow().getLastTransitionTime())
                .isEqualTo("2026-01-01T00:01:00Z");
    }

    @Test
    void anUnchangedStatusIsNotWrittenAgain() {
        ScriptStatus first = decide(null, true, "Ready", "ok", T0);
        Script script = new Script();
        script.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("a")
                .withNamespace("n")
                .build());
        script.setStatus(first);
        ScriptStatus same = decide(first, true, "Ready", "ok", T0.plusSeconds(3600));
        assertThat(StatusPatch.of(script, same, Script::new).isNoUpdate()).isTrue();
        ScriptStatus changed = decide(first, false, "PoolNotReady", "waiting", T0.plusSeconds(3600));
        var patch = StatusPatch.of(script, changed, Script::new);
        assertThat(patch.isPatchStatus()).isTrue();
        Script sent = patch.getResource().orElseThrow();
        assertThat(sent).isNotSameAs(script);
        assertThat(sent.getSpec()).isNull(); // a minimal object: only what the status patch needs
        assertThat(sent.getMetadata().getResourceVersion()).isNull();
    }

    @Test
    void eachMarkSetsOneConditionAndKeepsTheOthers() {
        ScriptStatus next = new ScriptStatus();
        new Conditions(Clock.fixed(T0, ZoneOffset.UTC))
                .of(null, next, 7)
                .markTrue("Valid", "ManifestValid", "checked")
                .markNotReady("RuntimePending", "waiting")
                .markReady("Served", "served");
        assertThat(next.getObservedGeneration()).isEqualTo(7);
        assertThat(next.getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .containsExactly("Valid=True/ManifestValid", "Ready=True/Served");
        assertThat(next.getConditions())
                .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7));
    }

    private static ScriptStatus decide(
            ScriptStatus previous, boolean ready, String reason, String message, Instant now) {
        ScriptStatus next = new ScriptStatus();
        Conditions.Marks marks = new Conditions(Clock.fixed(now, ZoneOffset.UTC)).of(previous, next, 1);
        if (ready) {
            marks.markReady(reason, message);
        } else {
            marks.markNotReady(reason, message);
        }
        return next;
    }
}
