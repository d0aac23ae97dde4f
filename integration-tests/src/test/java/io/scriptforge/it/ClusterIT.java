package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scriptforge.crd.App;
import io.scriptforge.crd.Script;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test control plane itself: CRDs, controllers, scheduler, kwok and garbage collection all work. */
@WithCluster
class ClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final TestCluster cluster;
    private final KubernetesClient client;

    ClusterIT(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    @BeforeAll
    static void applyTheCrds(TestCluster cluster) {
        cluster.kubectl("apply", "-f", "crds/yaml/").orFail();
    }

    @Test
    void everyCrdInCrdsYamlBecomesEstablished() throws IOException {
        List<String> crdFiles;
        try (Stream<Path> files = Files.list(cluster.repoRoot().resolve("crds/yaml"))) {
            crdFiles = files.filter(f -> f.toString().endsWith(".yml"))
                    .sorted()
                    .map(Path::toString)
                    .toList();
        }
        assertThat(crdFiles).isNotEmpty();

        for (String file : crdFiles) {
            assertThat(cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", file)
                            .orFail()
                            .stdout())
                    .contains("condition met");
        }
    }

    @Test
    void aDeploymentsPodsRunAndBecomeReadyOnTheKwokNode() {
        String namespace =
                cluster.createNamespace("cluster-it-deployment").getMetadata().getName();
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("registry.example/none:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();

        client.apps().deployments().inNamespace(namespace).resource(deployment).create();

        Await.untilTrue("2 available replicas of deployment web", TIMEOUT, () -> {
            Deployment current = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName("web")
                    .get();
            return current.getStatus() != null
                    && Integer.valueOf(2).equals(current.getStatus().getAvailableReplicas());
        });
        List<Pod> pods = client.pods()
                .inNamespace(namespace)
                .withLabel("app", "web")
                .list()
                .getItems();
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(TestCluster.NODE_NAME);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getStatus().getPodIP()).isNotBlank();
            assertThat(pod.getStatus().getConditions())
                    .anySatisfy(
                            c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
        });
    }

    @Test
    void theExamplesAreAcceptedAsScripts() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(cluster.repoRoot().resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.load(in).items().stream()
                            .filter(item -> "Script".equals(item.getKind()))
                            .forEach(item -> names.add(item.getMetadata().getName()));
                }
            }
        }
        assertThat(names).isNotEmpty();

        // Into "default" (the examples name no namespace), removed afterwards.
        try {
            assertThat(cluster.kubectl("apply", "-n", "default", "-f", "examples/")
                            .orFail()
                            .stdout())
                    .contains("created");

            assertThat(client.resources(Script.class)
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .extracting(script -> script.getMetadata().getName())
                    .containsAll(names);
            assertThat(client.resources(App.class)
                            .inNamespace("default")
                            .withName("notes")
                            .get())
                    .isNotNull();
        } finally {
            cluster.kubectl("delete", "-n", "default", "--ignore-not-found", "-f", "examples/");
        }
    }

    @Test
    void aScriptWithAnUnknownTypeAndAMalformedTimeoutIsRefusedNamingBothFields() throws URISyntaxException {
        String namespace =
                cluster.createNamespace("cluster-it-refused").getMetadata().getName();
        Path fixture = Path.of(getClass()
                .getResource("/ClusterIT/aScriptWithAnUnknownTypeAndAMalformedTimeoutIsRefused.yaml")
                .toURI());

        var result = cluster.kubectl("apply", "-n", namespace, "-f", fixture.toString());

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("spec.type", "lambda", "spec.timeout", "soon");
        assertThat(client.resources(Script.class).inNamespace(namespace).list().getItems())
                .isEmpty();
    }

    @Test
    void deletingAnOwnerGarbageCollectsItsDependents() {
        String namespace =
                cluster.createNamespace("cluster-it-gc").getMetadata().getName();
        var configMaps = client.configMaps().inNamespace(namespace);
        ConfigMap owner = configMaps
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("owner")
                        .endMetadata()
                        .build())
                .create();
        configMaps
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("dependent")
                        .addNewOwnerReference()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("owner")
                        .withUid(owner.getMetadata().getUid())
                        .withBlockOwnerDeletion(true)
                        .endOwnerReference()
                        .endMetadata()
                        .build())
                .create();

        // Foreground: the owner itself waits (finalizer foregroundDeletion) until the GC has deleted the dependent.
        configMaps
                .withName("owner")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .delete();

        Await.untilTrue(
                "owner and dependent deleted",
                TIMEOUT,
                () -> configMaps.withName("dependent").get() == null
                        && configMaps.withName("owner").get() == null);
    }
}
