package io.scriptforge.operator.pool.resources;

import java.util.Optional;

/** What the operator adds to a RunnerPool to build its runner pods. */
public record RunnerSettings(String image, String imagePullPolicy, Optional<String> databaseSecret) {}
