package io.scriptforge.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

class ModeDefaultsTest {

    @Test
    void aClusterRunnerDrainsForFiveSecondsALocalOneNot() {
        assertThat(drainDelay(Map.of("scriptforge.kubernetes.enabled", "true"))).isEqualTo("5s");
        assertThat(drainDelay(Map.of("scriptforge.kubernetes.enabled", "false")))
                .isEqualTo("0s");
        assertThat(drainDelay(Map.of())).isEqualTo("0s");
    }

    @Test
    void aClusterRunnerListensOnEveryInterfaceAndReviewsKubernetesTokensALocalOneListensOnLoopbackWithItsToken() {
        assertThat(value(Map.of("scriptforge.kubernetes.enabled", "true"), ModeDefaults.HTTP_HOST))
                .isEqualTo("0.0.0.0");
        assertThat(value(Map.of("scriptforge.kubernetes.enabled", "true"), ModeDefaults.CONTROL_AUTH))
                .isEqualTo("kubernetes");
        assertThat(value(Map.of(), ModeDefaults.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(value(Map.of(), ModeDefaults.CONTROL_AUTH)).isEqualTo("token");
    }

    @Test
    void anyValueSetElsewhereWins() {
        ConfigSource defaults = new ModeDefaults()
                .getConfigSources(context(Map.of()))
                .iterator()
                .next();
        assertThat(defaults.getOrdinal()).as("below application.properties").isLessThan(250);
    }

    private static String drainDelay(Map<String, String> settings) {
        return value(settings, ModeDefaults.DRAIN_DELAY);
    }

    private static String value(Map<String, String> settings, String name) {
        return new ModeDefaults()
                .getConfigSources(context(settings))
                .iterator()
                .next()
                .getValue(name);
    }

    private static ConfigSourceContext context(Map<String, String> settings) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return settings.containsKey(name)
                        ? ConfigValue.builder()
                                .withName(name)
                                .withValue(settings.get(name))
                                .build()
                        : null;
            }

            @Override
            public Iterator<String> iterateNames() {
                return Collections.unmodifiableSet(settings.keySet()).iterator();
            }
        };
    }
}
