package io.scriptforge.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.scriptforge.it.AppClient;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.CommandResult;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The examples as a user applies them ({@code kubectl apply -f examples/}), served by the default pool's runner
 * pods: every example answers through the Service's ClusterIP (kube-proxy) and through {@code kubectl port-forward};
 * the notes App works through the Service with its rows in the chart's PostgreSQL pod; a changed Script's new code
 * is answered by every runner pod within a second of {@code kubectl apply}.
 */
@OnRealNode
@Order(2)
class ExamplesE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELLO = "7f0c5a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f";
    private static final String COUNTER = "3e9b2f6a-8c4d-4e1f-a5b7-c9d0e1f2a3b4";
    private static final int CHANGES = 5;
    /** How often a changed Script is asked for, per pod: the figure is read to tens of milliseconds. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final Platform platform;
    private final RealNode node;

    ExamplesE2E(Platform platform) {
        this.platform = platform;
        this.node = platform.node();
    }

    @BeforeAll
    static void applyTheExamples(Platform platform) {
        long started = System.nanoTime();
        platform.node()
                .kubectl("apply", "-n", Platform.NAMESPACE, "-f", "examples/")
                .orFail();
        long applied = System.nanoTime();
        URI hello = platform.serviceUri("default", "/v1/invoke/" + HELLO);
        Await.untilTrue(
                "hello to answer through the Service",
                Duration.ofSeconds(60),
                () -> Platform.post(hello, "{\"name\":\"Ada\"}").statusCode() == 200);
        Figures.record(
                platform.node(),
                "kubectl apply -f examples/ -> first answer through the Service",
                Figures.seconds(System.nanoTime() - started) + " (kubectl itself " + Figures.seconds(applied - started)
                        + ")");
        platform.node()
                .kubectl("wait", "-n", Platform.NAMESPACE, "--for=condition=Ready", "script", "--all", "--timeout=180s")
                .orFail();
        platform.awaitReadyCondition("app/notes");
        platform.awaitAppServedByEveryRunner("default", "notes");
    }

    @Test
    void everyExampleAnswersThroughTheServicesClusterIp() {
        checkEveryExample(path -> platform.serviceUri("default", path));
    }

    @Test
    void everyExampleAnswersThroughKubectlPortForward() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process forward = node.startKubectl(
                "port-forward.log",
                "port-forward",
                "-n",
                Platform.NAMESPACE,
                "svc/scriptforge-runner-default",
                port + ":80");
        try {
            URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
            Await.untilTrue(
                    "kubectl port-forward to forward",
                    Duration.ofSeconds(30),
                    () -> Platform.get(ready).statusCode() == 200);
            int local = port;
            checkEveryExample(path -> URI.create("http://127.0.0.1:" + local + path));
        } finally {
            forward.destroy();
        }
    }

    private void checkEveryExample(Function<String, URI> at) {
        HttpResponse<String> hello = Platform.post(at.apply("/v1/invoke/" + HELLO), "{\"name\":\"Ada\"}");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello, Ada");

        String dnc = uuidOf("dnc-check");
        JsonNode allowed = json(Platform.post(at.apply("/v1/invoke/" + dnc), "{}"));
        assertThat(allowed.path("allowed").asBoolean()).isTrue();
        assertThat(allowed.path("number").asText()).isEqualTo("+15550100");
        HttpResponse<String> refused = Platform.post(at.apply("/v1/invoke/" + dnc), "{\"number\":\"+15550199\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("X-ScriptForge-Status")).hasValue("604 Number on DNC List");

        JsonNode counted = json(Platform.post(at.apply("/v1/invoke/" + COUNTER), "{}"));
        assertThat(counted.path("count").asInt()).isPositive();

        JsonNode beats = json(Platform.post(at.apply("/v1/invoke/" + uuidOf("heartbeat")), "{}"));
        assertThat(beats.path("beats").asInt()).isPositive();
    }

    @Test
    void theNotesAppIsServedThroughTheServiceWithItsRowsInThePostgresqlPod() throws Exception {
        URI service = platform.serviceUri("default", "/");
        String text = "written through the Service " + UUID.randomUUID();
        try (AppClient alice =
                new AppClient(service.getHost() + ":80", Platform.NAMESPACE, "notes", "alice", "change-me")) {
            alice.send(JSON.createObjectNode()
                    .put("mt", "SqlInsert")
                    .put("src", "e2e")
                    .put("statement", "add")
                    .set("args", JSON.createObjectNode().put("text", text))
                    .toString());
            assertThat(alice.next("SqlInsertResult").path("id").asLong()).isPositive();
            alice.send("{\"mt\":\"SqlExec\",\"src\":\"list\",\"statement\":\"list\",\"args\":{}}");
            List<String> texts = new ArrayList<>();
            for (JsonNode row = alice.next("SqlRow"); ; row = alice.next("SqlRow")) {
                texts.add(row.path("text").asText());
                if (row.path("text").asText().equals(text)) {
                    break;
                }
            }
            assertThat(texts).contains(text);
        }
        String pod = node.client()
                .pods()
                .inNamespace(Platform.NAMESPACE)
                .withLabel("app.kubernetes.io/component", "database")
                .list()
                .getItems()
                .getFirst()
                .getMetadata()
                .getName();
        String schema = psql(pod, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'")
                .strip();
        assertThat(schema).as("the notes table's schema").isNotBlank();
        assertThat(psql(pod, "SELECT text FROM \"" + schema + "\".notes")).contains(text);
    }

    private String psql(String pod, String query) {
        // Over the pod's Unix socket, which the image trusts (TCP needs the password).
        CommandResult result = node.kubectl(
                "exec",
                "-n",
                Platform.NAMESPACE,
                pod,
                "--",
                "psql",
                "-U",
                "scriptforge",
                "-d",
                "scriptforge",
                "-tA",
                "-c",
                query);
        return result.orFail().stdout();
    }

    @Test
    void aChangedScriptIsAnsweredByEveryRunnerPodWithinASecondOfKubectlApplyAtTheMedian() throws Exception {
        List<Pod> pods = platform.runners("default");
        assertThat(pods).hasSize(Platform.DEFAULT_POOL_REPLICAS);
        Path file = Files.createTempFile(node.logsDir(), "versioned", ".yaml");
        List<Long> sinceApplied = new ArrayList<>();
        List<Long> sinceKubectl = new ArrayList<>();
        String uuid = null;
        for (int version = 0; version <= CHANGES; version++) {
            Files.writeString(file, Platform.read("/e2e/versioned.yaml").replace("VERSION", String.valueOf(version)));
            long started = System.nanoTime();
            node.kubectl("apply", "-n", Platform.NAMESPACE, "-f", file.toString())
                    .orFail();
            long applied = System.nanoTime();
            String expected = "version " + version;
            uuid = uuid != null ? uuid : uuidOf("versioned");
            for (Pod pod : pods) {
                URI uri = Platform.podUri(pod, "/v1/invoke/" + uuid);
                Await.untilTrue(
                        pod.getMetadata().getName() + " to answer " + expected,
                        Duration.ofSeconds(version == 0 ? 60 : 5),
                        POLL,
                        () -> {
                            HttpResponse<String> answer = Platform.post(uri, "{}");
                            return answer.statusCode() == 200 && answer.body().equals(expected);
                        });
            }
            if (version > 0) { // version 0 creates the Script; the changes are what is timed
                sinceApplied.add(System.nanoTime() - applied);
                sinceKubectl.add(System.nanoTime() - started);
            }
        }
        Collections.sort(sinceApplied);
        Collections.sort(sinceKubectl);
        Figures.record(
                node,
                "a changed Script answered by all " + pods.size()
                        + " runner pods, after kubectl apply returned (median / max of " + CHANGES + ")",
                millis(sinceApplied.get(CHANGES / 2)) + " / " + millis(sinceApplied.getLast())
                        + " (from kubectl's start: " + millis(sinceKubectl.get(CHANGES / 2)) + " / "
                        + millis(sinceKubectl.getLast()) + ")");
        // The median, not the slowest: on this 2-core node one change in five may wait behind another pool's work
        // (1.6 s seen once); each change is still bounded by the 5 s wait above.
        assertThat(sinceApplied.get(CHANGES / 2))
                .as("median change, nanoseconds after kubectl apply")
                .isLessThan(Duration.ofSeconds(1).toNanos());
    }

    private String uuidOf(String script) {
        return Await.until("the uuid of script " + script, Duration.ofSeconds(30), () -> {
            String uuid = node.kubectl(
                            "get", "script", script, "-n", Platform.NAMESPACE, "-o", "jsonpath={.status.uuid}")
                    .orFail()
                    .stdout();
            return uuid.isBlank() ? null : uuid;
        });
    }

    private static String millis(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
