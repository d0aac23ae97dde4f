package io.scriptforge.runner.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which namespace cluster mode watches: configured, else the pod's own, else the kubeconfig's. */
class ClusterNamespaceTest {
    @TempDir
    Path dir;

    @Test
    void theConfiguredNamespaceWins() throws IOException {
        Path podFile = Files.writeString(dir.resolve("namespace"), "pod-ns\n");
        assertThat(ClusterLoader.namespace(Optional.of("configured"), podFile, "kubeconfig-ns"))
                .isEqualTo("configured");
    }

    @Test
    void inAPodItsOwnNamespaceComesBeforeTheKubeconfigs() throws IOException {
        Path podFile = Files.writeString(dir.resolve("namespace"), "pod-ns\n");
        assertThat(ClusterLoader.namespace(Optional.empty(), podFile, "kubeconfig-ns"))
                .isEqualTo("pod-ns");
        assertThat(ClusterLoader.namespace(Optional.of(" "), podFile, "kubeconfig-ns"))
                .isEqualTo("pod-ns");
    }

    @Test
    void outsideAPodTheKubeconfigsCurrentNamespaceElseDefault() {
        Path noPodFile = dir.resolve("absent");
        assertThat(ClusterLoader.namespace(Optional.empty(), noPodFile, "kubeconfig-ns"))
                .isEqualTo("kubeconfig-ns");
        assertThat(ClusterLoader.namespace(Optional.empty(), noPodFile, null)).isEqualTo("default");
    }
}
