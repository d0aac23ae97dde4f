package io.scriptforge.runner;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scriptforge.crd.Script;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes API (fabric8's mock server, CRUD mode, with watches) that the runner reaches through
 * a kubeconfig, as the lead's runner process does through KUBECONFIG. The runner's credentials may
 * only get, list and watch scripts and apps of {@link #NAMESPACE}, and get (not list) its Secrets and
 * ConfigMaps, and patch the status of apps, like the Role the operator gives it; anything else answers 403, so a runner asking more
 * never gets ready.
 */
public class MockKubernetesApi implements QuarkusTestResourceLifecycleManager {
    /** The kubeconfig's current namespace: the runner is given no scriptforge.kubernetes.namespace. */
    static final String NAMESPACE = "cluster-tests";
    /** The kubeconfig context of the test itself, allowed everything. */
    static final String ADMIN_CONTEXT = "admin";

    private static final String RUNNER_TOKEN = "runner-token";
    private static final String SCRIPTS_OF_NAMESPACE =
            "/apis/" + Script.API_VERSION + "/namespaces/" + NAMESPACE + "/scripts";
    private static final String APPS_OF_NAMESPACE =
            "/apis/" + Script.API_VERSION + "/namespaces/" + NAMESPACE + "/apps";
    private static final java.util.regex.Pattern ONE_SECRET_OR_CONFIGMAP =
            java.util.regex.Pattern.compile("/api/v1/namespaces/" + NAMESPACE + "/(secrets|configmaps)/[^/?]+");

    private KubernetesMockServer server;
    private String previousKubeconfig;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(
                new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(), new RunnerRole(), false);
        server.init();
        Path kubeconfig = writeKubeconfig("http://" + server.getHostName() + ":" + server.getPort());
        previousKubeconfig = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        try (KubernetesClient admin = admin()) {
            admin.resource(ClusterModeComponentTest.script(
                            "listed-before-start", null, "function main() { return 'was there first'; }"))
                    .create();
        }
        return Map.of("scriptforge.kubernetes.enabled", "true");
    }

    /** A client with the admin context of the same kubeconfig. */
    static KubernetesClient admin() {
        return new KubernetesClientBuilder()
                .withConfig(Config.autoConfigure(ADMIN_CONTEXT))
                .build();
    }

    private static Path writeKubeconfig(String server) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: runner
                  user: {token: %s}
                - name: admin
                  user: {token: admin-token}
                contexts:
                - name: runner
                  context: {cluster: mock, user: runner, namespace: %s}
                - name: %s
                  context: {cluster: mock, user: admin, namespace: %s}
                current-context: runner
                """.formatted(server, RUNNER_TOKEN, NAMESPACE, ADMIN_CONTEXT, NAMESPACE);
        try {
            Path file = Path.of("target/cluster-mode-kubeconfig").toAbsolutePath();
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (previousKubeconfig == null) {
            System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        } else {
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, previousKubeconfig);
        }
        if (server != null) {
            server.destroy();
        }
    }

    /** RBAC as the operator grants it: the runner may get, list and watch the scripts of its namespace, nothing more. */
    private static final class RunnerRole extends KubernetesCrudDispatcher {
        RunnerRole() {
            super(List.of());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            boolean runner = ("Bearer " + RUNNER_TOKEN).equals(request.getHeader("Authorization"));
            String path = request.getPath();
            boolean allowed = "GET".equals(request.getMethod())
                            && (path.startsWith(SCRIPTS_OF_NAMESPACE)
                                    || path.startsWith(APPS_OF_NAMESPACE)
                                    || ONE_SECRET_OR_CONFIGMAP.matcher(path).matches())
                    || "PATCH".equals(request.getMethod())
                            && path.startsWith(APPS_OF_NAMESPACE)
                            && path.endsWith("/status");
            if (runner && !allowed) {
                return new MockResponse()
                        .setResponseCode(403)
                        .setBody(
                                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                                        + "\"message\":\"the runner may only get, list and watch scripts and apps, and get one secret or configmap, in "
                                        + NAMESPACE + ": " + request.getMethod() + " " + request.getPath() + "\"}");
            }
            return super.dispatch(request);
        }
    }
}
