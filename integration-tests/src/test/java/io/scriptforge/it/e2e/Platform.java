package io.scriptforge.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.scriptforge.it.cluster.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * ScriptForge as a user installs it: {@code helm install} of the chart into {@value #NAMESPACE}, with the images
 * the node imported (no registry) and PostgreSQL from the image hack/node-images.sh built. Waits until the
 * operator, the default pool's runners and PostgreSQL are Ready, through their real probes.
 */
final class Platform implements AutoCloseable {
    static final String NAMESPACE = "scriptforge";
    static final String RELEASE = "scriptforge";
    static final String POOL_LABEL = "scriptforge.io/pool";
    static final int DEFAULT_POOL_REPLICAS = 2;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EDITOR = "e2e-editor";
    /** Sent with every request: the runners' control API takes a Kubernetes token; invocations ignore it. */
    private static volatile String authorization = "";

    private final RealNode node;
    private final Path values;
    private final String postgresImage;

    private Platform(RealNode node, Path values, String postgresImage) {
        this.node = node;
        this.values = values;
        this.postgresImage = postgresImage;
    }

    static Platform install(RealNode node) {
        String postgres = System.getProperty("scriptforge.e2e.postgresql-image", "localhost/scriptforge/postgresql:15");
        int colon = postgres.lastIndexOf(':');
        Path values = write(
                node.logsDir().resolve("values.yaml"),
                read("/e2e/values.yaml")
                        .replace("POSTGRESQL_REPOSITORY", postgres.substring(0, colon))
                        .replace("POSTGRESQL_TAG", postgres.substring(colon + 1)));
        Platform platform = new Platform(node, values, postgres);
        long started = System.nanoTime();
        String status = new Helm(node.repoRoot().resolve("helm/scriptforge"))
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .createNamespace()
                .withKubeConfig(node.kubeconfig())
                .withValuesFile(values)
                .call()
                .getStatus();
        if (!"deployed".equals(status)) {
            throw new IllegalStateException("helm install ended " + status);
        }
        long installed = System.nanoTime();
        platform.awaitReady();
        authorization = "Bearer " + platform.editorToken();
        Figures.record(
                node,
                "helm install (client) / helm install -> operator, runners, PostgreSQL Ready",
                Figures.seconds(installed - started) + " / " + Figures.seconds(System.nanoTime() - started));
        return platform;
    }

    private void awaitReady() {
        Await.untilTrue("the operator Deployment to be available", READY_TIMEOUT, () -> {
            Deployment operator = node.client()
                    .apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .withName(RELEASE)
                    .get();
            return operator != null
                    && operator.getStatus() != null
                    && operator.getStatus().getReadyReplicas() != null
                    && operator.getStatus().getReadyReplicas() >= 1;
        });
        Await.untilTrue("PostgreSQL to be Ready", READY_TIMEOUT, () -> {
            StatefulSet postgres = node.client()
                    .apps()
                    .statefulSets()
                    .inNamespace(NAMESPACE)
                    .withName(RELEASE + "-postgresql")
                    .get();
            return postgres != null
                    && postgres.getStatus() != null
                    && Integer.valueOf(1).equals(postgres.getStatus().getReadyReplicas());
        });
        awaitRunners("default", DEFAULT_POOL_REPLICAS);
    }

    RealNode node() {
        return node;
    }

    /**
     * A token of a ServiceAccount bound to Kubernetes' own {@code edit} role in the namespace, as a namespace's
     * developer is: the chart's roles add ScriptForge's verbs to it (aggregation), and the runners ask the API
     * server with it. Waits until the aggregation controller has added them.
     */
    private String editorToken() {
        var accounts = node.client().serviceAccounts().inNamespace(NAMESPACE);
        accounts.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(EDITOR)
                        .endMetadata()
                        .build())
                .serverSideApply();
        node.client()
                .rbac()
                .roleBindings()
                .inNamespace(NAMESPACE)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(EDITOR)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName("edit")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(EDITOR)
                        .withNamespace(NAMESPACE)
                        .endSubject()
                        .build())
                .serverSideApply();
        Await.untilTrue(
                "Kubernetes' edit role to include the chart's scriptforge.io/scripts/jobs",
                Duration.ofSeconds(60),
                () -> node.client().rbac().clusterRoles().withName("edit").get().getRules().stream()
                        .anyMatch(rule -> rule.getApiGroups().contains("scriptforge.io")
                                && rule.getResources().contains("scripts/jobs")));
        return accounts.withName(EDITOR)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(6 * 3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** The values file the chart was installed with (beside its defaults). */
    Path values() {
        return values;
    }

    /** The PostgreSQL image the chart runs, {@code repository:tag}. */
    String postgresImage() {
        return postgresImage;
    }

    /** Waits until a pool has exactly {@code replicas} Ready runner pods, and returns them. */
    List<Pod> awaitRunners(String pool, int replicas) {
        return Await.until(replicas + " Ready runner pods in pool " + pool, READY_TIMEOUT, () -> {
            List<Pod> ready = runners(pool);
            return ready.size() == replicas ? ready : null;
        });
    }

    List<Pod> runners(String pool) {
        return node.readyPods(NAMESPACE, POOL_LABEL, pool);
    }

    /** The pool's Service as kube-proxy serves it: its ClusterIP, routed from this machine into the node. */
    URI serviceUri(String pool, String path) {
        String ip = Await.until("the Service of pool " + pool, Duration.ofSeconds(60), () -> {
            var service = node.client()
                    .services()
                    .inNamespace(NAMESPACE)
                    .withName("scriptforge-runner-" + pool)
                    .get();
            return service == null ? null : service.getSpec().getClusterIP();
        });
        return URI.create("http://" + ip + path);
    }

    static URI podUri(Pod pod, String path) {
        return URI.create("http://" + pod.getStatus().getPodIP() + ":8080" + path);
    }

    static HttpResponse<String> post(URI uri, String json) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Authorization", authorization)
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", authorization)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl apply of a test resource file (src/test/resources/...) into the platform's namespace. */
    void apply(String resource) {
        node.kubectl("apply", "-n", NAMESPACE, "-f", resourcePath(resource).toString())
                .orFail();
    }

    void delete(String resource) {
        node.kubectl(
                        "delete",
                        "-n",
                        NAMESPACE,
                        "--ignore-not-found",
                        "--wait=false",
                        "-f",
                        resourcePath(resource).toString())
                .orFail();
    }

    void awaitReadyCondition(String kindAndName) {
        node.kubectl("wait", "-n", NAMESPACE, "--for=condition=Ready", kindAndName, "--timeout=180s")
                .orFail();
    }

    /**
     * Waits until every Ready runner of {@code pool} serves App {@code name} (its {@code GET /v1/apps}). The App's
     * Ready condition says a runner serves it; each runner starts it on its own, and the Service may pick any.
     */
    void awaitAppServedByEveryRunner(String pool, String name) {
        for (Pod pod : runners(pool)) {
            Await.untilTrue(pod.getMetadata().getName() + " to serve App " + name, Duration.ofSeconds(120), () -> {
                HttpResponse<String> apps = get(podUri(pod, "/v1/apps"));
                return apps.statusCode() == 200
                        && readJson(apps.body())
                                .valueStream()
                                .anyMatch(app -> app.path("name").asText().equals(name)
                                        && app.path("ready").asBoolean());
            });
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static Path resourcePath(String resource) {
        try {
            return Path.of(Platform.class.getResource(resource).toURI());
        } catch (Exception e) {
            throw new IllegalArgumentException("no test resource " + resource, e);
        }
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String resource) {
        try {
            return Files.readString(resourcePath(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the logs of every pod of the namespace, for whoever reads a failure. */
    void saveLogs() {
        node.client()
                .pods()
                .inNamespace(NAMESPACE)
                .list()
                .getItems()
                .forEach(pod -> node.saveLog(NAMESPACE, pod.getMetadata().getName()));
    }

    @Override
    public void close() {
        saveLogs();
        node.close();
    }
}
