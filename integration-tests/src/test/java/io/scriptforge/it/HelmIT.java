package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.helm.ChartHooks;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The chart against a real API server: what it renders is accepted, and `helm install` puts the platform there. */
@WithCluster
class HelmIT {
    private static final String KUBE_VERSION = "1.32.3";

    private final TestCluster cluster;
    private final KubernetesClient client;
    private final Path chart;

    HelmIT(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.chart = cluster.repoRoot().resolve("helm/scriptforge");
    }

    @Test
    void everyObjectTheChartRendersIsAcceptedByTheApiServer() throws IOException {
        cluster.createNamespace("helm-it-template");
        cluster.kubectl("apply", "-f", "helm/scriptforge/crds/").orFail();
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", "helm/scriptforge/crds/")
                .orFail();
        // With its test pods (hooks, which helm-java's template leaves out), so that they are checked too.
        String manifests = new Helm(ChartHooks.unhooked(chart))
                .template()
                .withName("scriptforge")
                .withNamespace("helm-it-template")
                .withKubeVersion(KUBE_VERSION)
                .call(); // its `lookup` reaches this cluster through KUBECONFIG (set by failsafe)
        Path rendered = Files.writeString(cluster.logsDir().resolve("helm-template.yaml"), manifests);

        var dryRun = cluster.kubectl("apply", "--dry-run=server", "-n", "helm-it-template", "-f", rendered.toString());

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout())
                .contains(
                        "deployment.apps/scriptforge",
                        "clusterrole.rbac.authorization.k8s.io/scriptforge",
                        "role.rbac.authorization.k8s.io/scriptforge-leader-election",
                        "rolebinding.rbac.authorization.k8s.io/scriptforge-leader-election",
                        "runnerpool.scriptforge.io/default",
                        "statefulset.apps/scriptforge-postgresql",
                        "pod/scriptforge-test-runner-ready",
                        "pod/scriptforge-test-runner-unknown-uuid");
    }

    @Test
    void helmInstallCreatesTheOperatorItsRbacTheDefaultPoolAndPostgres() {
        Release release = new Helm(chart)
                .install()
                .withName("scriptforge")
                .withNamespace("helm-it")
                .createNamespace()
                .withKubeConfig(cluster.kubeconfig())
                .call();

        assertThat(release.getStatus()).isEqualTo("deployed");
        Deployment operator = Await.until(
                "the operator Deployment",
                Duration.ofSeconds(30),
                () -> client.apps()
                        .deployments()
                        .inNamespace("helm-it")
                        .withName("scriptforge")
                        .get());
        assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("scriptforge");
        assertThat(client.rbac().clusterRoleBindings().withName("scriptforge").get())
                .isNotNull();
        assertThat(client.resources(RunnerPool.class)
                        .inNamespace("helm-it")
                        .withName("default")
                        .get())
                .isNotNull();
        assertThat(client.apps()
                        .statefulSets()
                        .inNamespace("helm-it")
                        .withName("scriptforge-postgresql")
                        .get())
                .isNotNull();
        Await.untilTrue("the operator pod to run (kwok plays the kubelet)", Duration.ofSeconds(60), () -> {
            Deployment current = client.apps()
                    .deployments()
                    .inNamespace("helm-it")
                    .withName("scriptforge")
                    .get();
            return current.getStatus() != null
                    && Integer.valueOf(1).equals(current.getStatus().getReadyReplicas());
        });
    }
}
