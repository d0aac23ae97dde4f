package io.scriptforge.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small value types of the Script API. */
class ScriptModelTest {
    @Test
    void nameBasedUuidIsVersion5InTheUrlNamespaceOfNamespaceSlashName() {
        // Same as Python's uuid.uuid5(uuid.NAMESPACE_URL, "default/hello").
        assertThat(ScriptIdentity.nameBasedUuid("default", "hello").toString())
                .isEqualTo("fecfec7d-a3c2-5d6f-9ad7-2e6edc45954c");
        assertThat(ScriptIdentity.nameBasedUuid("default", "hello").version()).isEqualTo(5);
    }

    @Test
    void durationsReadMillisecondsSecondsMinutesAndHours() {
        assertThat(DurationString.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationString.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationString.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationString.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> DurationString.parse("2 seconds"))
                .hasMessageContaining("'2 seconds' is not a duration");
    }

    @Test
    void sipStatusesMapToHttpWhereHttpHasTheCode() {
        assertThat(SipStatus.parse("503 Service Unavailable")).isEqualTo(new SipStatus(503, "Service Unavailable"));
        assertThat(SipStatus.parse("503 Service Unavailable").httpStatus()).isEqualTo(503);
        assertThat(new SipStatus(604, "Number on DNC List").httpStatus()).isEqualTo(422);
        assertThat(new SipStatus(302, "Moved").httpStatus()).isEqualTo(422);
        assertThatThrownBy(() -> SipStatus.parse("busy")).hasMessageContaining("\"<code> <reason>\"");
    }

    @Test
    void theSpecUuidWinsOverTheNameBasedOne() {
        Script script = new Script();
        script.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withNamespace("default")
                .withName("hello")
                .build());
        script.setSpec(new ScriptSpec());
        assertThat(script.uuid()).isEqualTo("fecfec7d-a3c2-5d6f-9ad7-2e6edc45954c");
        script.getSpec().setUuid("7F0C5A4E-3B1D-4C2A-9E8F-1A2B3C4D5E6F");
        assertThat(script.uuid()).isEqualTo("7f0c5a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f");
    }
}
