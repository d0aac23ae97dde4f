package io.scriptforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's settings as application.properties and the chart's environment make them. */
class OperatorConfigTest {

    @Test
    void theLeaseLivesInThePodsNamespaceUnderThePodsName() throws IOException {
        OperatorConfig.LeaderElection election = config(
                        Map.of("POD_NAMESPACE", "scriptforge-system", "POD_NAME", "scriptforge-7d9f-x2"))
                .leaderElection();

        assertThat(election.enabled()).isTrue();
        assertThat(election.leaseNamespace()).contains("scriptforge-system");
        assertThat(election.identity()).contains("scriptforge-7d9f-x2");
        assertThat(election.leaseName()).isEqualTo("scriptforge-operator");
        // A killed leader is replaced within 10 s + a retry; followers and the leader call the API server every 2 s.
        assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(8));
        assertThat(election.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void outsideAPodTheSdkInfersNamespaceAndIdentity() throws IOException {
        OperatorConfig.LeaderElection election = config(Map.of()).leaderElection();

        assertThat(election.leaseNamespace()).isEmpty();
        assertThat(election.identity()).isEmpty();
    }

    private static OperatorConfig config(Map<String, String> env) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${...} expansion, as in Quarkus
                .withSources(new PropertiesConfigSource(
                        OperatorConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(env, "pod environment", 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(OperatorConfig.class)
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }
}
