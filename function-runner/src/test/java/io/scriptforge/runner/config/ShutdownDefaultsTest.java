package io.scriptforge.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

class ShutdownDefaultsTest {

    @Test
    void aClusterRunnerDrainsForFiveSecondsALocalOneNot() {
        assertThat(drainDelay(Map.of("scriptforge.kubernetes.enabled", "true"))).isEqualTo("5s");
        assertThat(drainDelay(Map.of("scriptforge.kubernetes.enabled", "false"))).isEqualTo("0s");
        assertThat(drainDelay(Map.of())).isEqualTo("0s");
    }

    @Test
    void anyValueSetElsewhereWins() {
        ConfigSource defaults = new ShutdownDefaults().getConfigSources(context(Map.of())).iterator().next();
        assertThat(defaults.getOrdinal()).as("below application.properties").isLessThan(250);
    }

    private static String drainDelay(Map<String, String> settings) {
        ConfigSource defaults = new ShutdownDefaults().getConfigSources(context(settings)).iterator().next();
        return defaults.getValue(ShutdownDefaults.DRAIN_DELAY);
    }

    private static ConfigSourceContext context(Map<String, String> settings) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return settings.containsKey(name) ? ConfigValue.builder().withName(name).withValue(settings.get(name)).build() : null;
            }

            @Override
            public Iterator<String> iterateNames() {
                return Collections.unmodifiableSet(settings.keySet()).iterator();
            }
        };
    }
}
