package io.scriptforge.it.cluster;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The operator and runner jars the build made, started against the test cluster as they run in pods. */
public final class ScriptForgeProcesses {
    /** The runner image the operator is told to use; kwok never pulls it. */
    public static final String RUNNER_IMAGE = "registry.test/scriptforge-runner:it";
    /** The control API token of the local-mode runners these tests start (cluster-mode ones check Kubernetes tokens). */
    public static final String CONTROL_TOKEN = "it-control-token-" + java.util.UUID.randomUUID();

    public static final String CONTROL_AUTHORIZATION = "Bearer " + CONTROL_TOKEN;
    private static ManagedProcess operator;

    private ScriptForgeProcesses() {}

    /**
     * One operator for the whole run, started on first use, with the identity the chart gives it: its ServiceAccount,
     * ClusterRole and leader-election Role, rendered from helm/scriptforge. So every operator test also proves that
     * RBAC is enough. It watches every namespace: a test that runs operators of its own stops it first
     * ({@link #stopOperator()}); the next test that needs it starts it again, and it retakes its Lease at once (it
     * holds it under the same name).
     */
    public static synchronized ManagedProcess operator(TestCluster cluster) {
        if (operator == null || !operator.isAlive()) {
            OperatorRelease release =
                    operatorRelease(cluster, "it-operator", "scriptforge-system"); // not HelmIT's release
            int port = freePort();
            operator = startOperator(cluster, release, "it-operator", port);
            awaitReady(operator, port, Duration.ofSeconds(90));
        }
        return operator;
    }

    /** Stops the run's shared operator, if it runs. */
    public static synchronized void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    /**
     * What the chart installs for the operator of release {@code release} in {@code namespace}, applied: its
     * ServiceAccount, ClusterRole, leader-election Role and their bindings. Says how its Deployment's pods run it.
     */
    public record OperatorRelease(String namespace, Path kubeconfig, String leaseName, String watchNamespaces) {}

    public static OperatorRelease operatorRelease(
            TestCluster cluster, String release, String namespace, String... watchNamespaces) {
        if (cluster.client().namespaces().withName(namespace).get() == null) {
            cluster.createNamespace(namespace);
        }
        var template = new Helm(cluster.repoRoot().resolve("helm/scriptforge"))
                .template()
                .withName(release)
                .withNamespace(namespace)
                .withKubeVersion("1.32.3");
        for (int i = 0; i < watchNamespaces.length; i++) {
            template.set("operator.watchNamespaces[" + i + "]", watchNamespaces[i]);
        }
        KubernetesClient client = cluster.client();
        List<HasMetadata> rendered = client.load(
                        new ByteArrayInputStream(template.call().getBytes(StandardCharsets.UTF_8)))
                .items();
        List<String> kinds = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
        List<HasMetadata> identity = rendered.stream()
                .filter(o -> kinds.contains(o.getKind()))
                .filter(o -> "operator".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
        if (identity.size() != kinds.size()) {
            throw new AssertionError("the chart should render the operator's " + kinds + ": " + identity);
        }
        identity.forEach(
                o -> client.resource(o).inNamespace(namespace).forceConflicts().serverSideApply());
        String account = identity.stream()
                .filter(o -> o.getKind().equals("ServiceAccount"))
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName();
        Map<String, String> env = rendered.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getEnv()
                .stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        return new OperatorRelease(
                namespace,
                cluster.serviceAccountKubeconfig(namespace, account),
                env.get("SCRIPTFORGE_OPERATOR_LEADER_ELECTION_LEASE_NAME"),
                env.get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    /** The release {@link #applyUserRoles} renders: not HelmIT's, whose helm install must own its own roles. */
    public static final String USER_ROLES_RELEASE = "it-scriptforge";

    /** The chart's user roles, ClusterRoles {@code it-scriptforge-view} and {@code -edit}, applied as helm would. */
    public static void applyUserRoles(TestCluster cluster) {
        var template = new Helm(cluster.repoRoot().resolve("helm/scriptforge"))
                .template()
                .withName(USER_ROLES_RELEASE)
                .withKubeVersion("1.32.3");
        KubernetesClient client = cluster.client();
        List<HasMetadata> roles =
                client.load(new ByteArrayInputStream(template.call().getBytes(StandardCharsets.UTF_8))).items().stream()
                        .filter(o ->
                                "user-roles".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
                        .toList();
        if (roles.size() != 2) {
            throw new AssertionError("the chart should render two user roles (view, edit): " + roles);
        }
        roles.forEach(o -> client.resource(o).forceConflicts().serverSideApply());
    }

    /** The operator jar as one pod of the release's Deployment runs it, named {@code podName} (its Lease identity). */
    public static ManagedProcess startOperator(TestCluster cluster, OperatorRelease release, String podName, int port) {
        Path jar = built(cluster, "operator/target/quarkus-app/quarkus-run.jar");
        return cluster.launch(JavaProcess.jar(podName, jar)
                .jvmArg("--enable-native-access=ALL-UNNAMED")
                .env("KUBECONFIG", release.kubeconfig().toString())
                // As the chart's Deployment sets them (the downward API gives a pod its namespace and name).
                .env("POD_NAMESPACE", release.namespace())
                .env("POD_NAME", podName)
                .env("SCRIPTFORGE_OPERATOR_LEADER_ELECTION_LEASE_NAME", release.leaseName())
                .env("QUARKUS_OPERATOR_SDK_NAMESPACES", release.watchNamespaces())
                // The status decisions it logs let tests tell "reconciled, nothing to write" from "not reconciled".
                .systemProperty("quarkus.log.category.\"io.scriptforge.operator\".level", "DEBUG")
                .env("SCRIPTFORGE_OPERATOR_RUNNER_IMAGE", RUNNER_IMAGE)
                .env("SCRIPTFORGE_OPERATOR_RECHECK_INTERVAL", "2s")
                .systemProperty("quarkus.http.port", String.valueOf(port)));
    }

    /** Waits for {@code /q/health/ready} of a process to answer 200; fails at once if the process exits. */
    public static void awaitReady(ManagedProcess process, int port, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Await.untilTrue(process.name() + " to be ready (log: " + process.log() + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(process.name() + " exited:\n" + process.logTail(60));
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    /**
     * A runner in cluster mode: it loads the Scripts and Apps of {@code pool} in {@code namespace} through
     * informers, with the IT JVM's shared PostgreSQL as the chart's would be.
     */
    public static ManagedProcess runner(TestCluster cluster, String namespace, String pool, int port, Path kubeconfig) {
        return runner(cluster, namespace, pool, port, kubeconfig, java.util.Map.of());
    }

    /** The same with more settings ({@code scriptforge.*} system properties). */
    public static ManagedProcess runner(
            TestCluster cluster,
            String namespace,
            String pool,
            int port,
            Path kubeconfig,
            java.util.Map<String, String> settings) {
        JavaProcess process = runnerJar(cluster, "runner-" + namespace, port)
                .env("KUBECONFIG", kubeconfig.toString())
                .systemProperty("scriptforge.kubernetes.enabled", "true")
                .systemProperty("scriptforge.kubernetes.namespace", namespace)
                .systemProperty("scriptforge.kubernetes.pool", pool);
        settings.forEach(process::systemProperty);
        return cluster.launch(process);
    }

    /** A runner in local mode serving {@code dir}, on the IT JVM's shared PostgreSQL: one replica of several. */
    public static ManagedProcess localRunner(TestCluster cluster, String name, Path dir, int port) {
        return localRunner(cluster, name, dir, port, java.util.Map.of());
    }

    /** The same with more settings ({@code scriptforge.*} system properties). */
    public static ManagedProcess localRunner(
            TestCluster cluster, String name, Path dir, int port, java.util.Map<String, String> settings) {
        JavaProcess process = runnerJar(cluster, name, port)
                .systemProperty("scriptforge.dir", dir.toString())
                .systemProperty("scriptforge.control.token", CONTROL_TOKEN);
        settings.forEach(process::systemProperty);
        return cluster.launch(process);
    }

    /**
     * Runners start as in a pod, warm-up included, but these tests are about clusters, not speed: their warm-up
     * stops after 20 s (it would take a minute or more on 2 cores shared by two runners, a kube-apiserver and
     * PostgreSQL). The real node's E2E tests run it uncut.
     */
    private static JavaProcess runnerJar(TestCluster cluster, String name, int port) {
        Path jar = built(cluster, "function-runner/target/quarkus-app/quarkus-run.jar");
        Path jvmArgs = built(cluster, "function-runner/target/jvm.args");
        return JavaProcess.jar(name, jar)
                .jvmArg("@" + jvmArgs)
                .systemProperty("quarkus.http.port", String.valueOf(port))
                .systemProperty("scriptforge.warmup.max-duration", "20s")
                .systemProperty("scriptforge.database.url", SharedPostgres.jdbcUrl());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path built(TestCluster cluster, String relative) {
        Path path = cluster.repoRoot().resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError(
                    path + " is missing: build the module first (make test builds everything in order)");
        }
        return path;
    }
}
