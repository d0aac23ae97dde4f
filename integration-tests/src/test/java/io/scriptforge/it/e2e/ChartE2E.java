package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.scriptforge.it.cluster.CommandResult;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} of the chart on a real node, with images that were built here and imported, never pulled:
 * the operator, the default pool's runners and PostgreSQL run and are Ready through their real probes, as the
 * non-root users on the read-only root file systems the chart declares; {@code helm test} passes.
 */
@OnRealNode
@Order(1)
class ChartE2E {
    private final Platform platform;
    private final RealNode node;

    ChartE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @Test
    void theOperatorTheDefaultPoolsRunnersAndPostgresqlRunFromTheLocalImages() {
        List<Pod> pods =
                node.client().pods().inNamespace(Platform.NAMESPACE).list().getItems();
        assertThat(pods)
                .filteredOn(RealNode::isReady)
                .extracting(pod -> pod.getSpec().getContainers().getFirst().getImage())
                .contains(
                        "ghcr.io/scriptforge/scriptforge-operator:0.1.0",
                        "ghcr.io/scriptforge/scriptforge-runner:0.1.0",
                        platform.postgresImage());
        assertThat(platform.runners("default")).hasSize(Platform.DEFAULT_POOL_REPLICAS);
        for (Pod pod : pods) {
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                assertThat(container.getRestartCount())
                        .as("restarts of %s/%s", pod.getMetadata().getName(), container.getName())
                        .isZero();
            }
        }
    }

    @Test
    void everyPodRunsAsANonRootUserOnAReadOnlyRootFileSystem() {
        for (Pod pod :
                node.client().pods().inNamespace(Platform.NAMESPACE).list().getItems()) {
            if (!RealNode.isReady(pod)) {
                continue;
            }
            String name = pod.getMetadata().getName();
            CommandResult probe = node.kubectl(
                    "exec",
                    "-n",
                    Platform.NAMESPACE,
                    name,
                    "--",
                    "sh",
                    "-c",
                    "id -u; touch /written-by-e2e 2>&1; echo touch=$?");
            assertThat(probe.exitCode()).as(probe.toString()).isZero();
            List<String> lines = probe.stdout().lines().toList();
            assertThat(Integer.parseInt(lines.getFirst().strip()))
                    .as("uid in %s", name)
                    .isPositive();
            assertThat(probe.stdout())
                    .as("writing / in %s", name)
                    .contains("Read-only file system")
                    .contains("touch=1");
        }
    }

    @Test
    void helmTestPasses() {
        Release tested = Helm.test(Platform.RELEASE)
                .withNamespace(Platform.NAMESPACE)
                .withKubeConfig(node.kubeconfig())
                .withTimeout(180)
                .call();
        assertThat(tested.getStatus()).isEqualTo("deployed");
        assertThat(tested.getOutput()).doesNotContain("Phase:          Failed");
    }
}
