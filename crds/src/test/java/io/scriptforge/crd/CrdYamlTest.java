package io.scriptforge.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRD YAML under crds/yaml (and its copy in the chart) is generated from the classes; a change to one without the other fails here. */
class CrdYamlTest {
    private static final Path COMMITTED = Path.of("yaml");
    private static final Path GENERATED = Path.of("target/crds");
    private static final Path CHART = Path.of("../helm/scriptforge/crds");

    @Test
    void committedCrdYamlIsWhatTheClassesGenerate() throws IOException {
        Files.createDirectories(GENERATED);
        new CRDGenerator()
                .customResourceClasses(Script.class, RunnerPool.class, App.class)
                .inOutputDir(GENERATED.toFile())
                .generate();
        try (Stream<Path> files = Files.list(GENERATED)) {
            for (Path generated : files.sorted().toList()) {
                Path committed = COMMITTED.resolve(generated.getFileName());
                assertThat(committed)
                        .as("%s is not committed: run `make crds`", committed)
                        .exists();
                assertThat(Files.readString(committed))
                        .as(
                                "%s differs from what the classes generate: run `make crds` and commit the result",
                                committed)
                        .isEqualTo(Files.readString(generated));
                Path inChart = CHART.resolve(generated.getFileName());
                assertThat(inChart)
                        .as("%s is missing from the chart: run `make crds`", inChart)
                        .exists();
                assertThat(Files.readString(inChart))
                        .as("%s differs from crds/yaml: run `make crds` and commit the result", inChart)
                        .isEqualTo(Files.readString(committed));
            }
        }
    }
}
