package io.scriptforge.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the operator ({@code scriptforge.operator.*}; the Helm chart sets them as SCRIPTFORGE_OPERATOR_* env). */
@ConfigMapping(prefix = "scriptforge.operator")
public interface OperatorConfig {
    /** Image of the runner pods of a RunnerPool that names none. */
    @WithDefault("ghcr.io/scriptforge/scriptforge-runner:0.1.0")
    String runnerImage();

    /** Pull policy of the runner image. */
    @WithDefault("IfNotPresent")
    String runnerImagePullPolicy();

    /** Secret (keys url, username, password) runner pods read their PostgreSQL settings from, in their own namespace. */
    Optional<String> databaseSecret();

    /** How long a Script that waits for something (its pool, app or a module) waits before it is looked at again. */
    @WithDefault("10s")
    java.time.Duration recheckInterval();
}
