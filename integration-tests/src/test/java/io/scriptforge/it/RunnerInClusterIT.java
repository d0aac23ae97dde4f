package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptIdentity;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.ChartTestPods;
import io.scriptforge.it.cluster.CommandResult;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A runner process in cluster mode, as a pod of the default pool runs it: with the pool's ServiceAccount token
 * (so the Role the operator made must be enough), loading Scripts through its informer.
 */
@WithCluster
class RunnerInClusterIT {
    private static final String NS = "runner-it";
    private static final String POOL_SA = "scriptforge-runner-default";
    private static final String OTHER_NS = "runner-it-other";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The pool's Service, as the chart's test pods call it. */
    private static final String POOL_SERVICE = "http://scriptforge-runner-default." + NS + ".svc";

    private static final int WARM_UP_ROUNDS = 8;
    private static final int CHANGES = 5;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static int port;

    private final TestCluster cluster;

    RunnerInClusterIT(TestCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    static void aRunnerWithThePoolsIdentity(TestCluster cluster) throws IOException, URISyntaxException {
        cluster.installCrds();
        cluster.createNamespace(NS);
        ScriptForgeProcesses.operator(cluster);
        cluster.kubectl(
                        "apply",
                        "-n",
                        NS,
                        "-f",
                        Path.of(RunnerInClusterIT.class
                                        .getResource("/RunnerInClusterIT/default-pool.yaml")
                                        .toURI())
                                .toString())
                .orFail();
        KubernetesClient client = cluster.client();
        Await.untilTrue(
                "the operator to create the pool's ServiceAccount and Role",
                Duration.ofSeconds(60),
                () -> client.serviceAccounts().inNamespace(NS).withName(POOL_SA).get() != null
                        && client.rbac()
                                        .roles()
                                        .inNamespace(NS)
                                        .withName(POOL_SA)
                                        .get()
                                != null
                        && client.rbac()
                                        .roleBindings()
                                        .inNamespace(NS)
                                        .withName(POOL_SA)
                                        .get()
                                != null);
        Path kubeconfig = cluster.serviceAccountKubeconfig(NS, POOL_SA);
        port = ScriptForgeProcesses.freePort();
        // Its scheduler's clock runs 60 times faster, so a cron minute passes in a second.
        var runner = ScriptForgeProcesses.runner(
                cluster,
                NS,
                "default",
                port,
                kubeconfig,
                java.util.Map.of("scriptforge.tasks.clock-speed", "60", "scriptforge.tasks.polling-interval", "200ms"));
        ScriptForgeProcesses.awaitReady(runner, port, Duration.ofSeconds(120));
    }

    @Test
    void aScheduledScriptRunsAndItsLastAndNextTickAreInItsStatus() throws Exception {
        cluster.kubectl(
                        "apply",
                        "-n",
                        NS,
                        "-f",
                        Path.of(RunnerInClusterIT.class
                                        .getResource("/RunnerInClusterIT/ticker.yaml")
                                        .toURI())
                                .toString())
                .orFail();
        KubernetesClient client = cluster.client();
        // Written by the runner with the pool's identity: its Role must allow patching scripts/status.
        Await.untilTrue("the runner to report a completed tick in status.schedule", Duration.ofSeconds(60), () -> {
            Script ticker = client.resources(Script.class)
                    .inNamespace(NS)
                    .withName("ticker")
                    .get();
            return ticker.getStatus() != null
                    && ticker.getStatus().getSchedule() != null
                    && "completed".equals(ticker.getStatus().getSchedule().getLastOutcome());
        });
        var schedule = client.resources(Script.class)
                .inNamespace(NS)
                .withName("ticker")
                .get()
                .getStatus()
                .getSchedule();
        assertThat(schedule.getExpression()).isEqualTo("* * * * * UTC");
        assertThat(java.time.Instant.parse(schedule.getNextRun()))
                .isAfter(java.time.Instant.parse(schedule.getLastRun()));
        // The operator's own status writes leave the runner's field alone.
        assertThat(cluster.kubectl("wait", "-n", NS, "--for=condition=Ready", "script/ticker", "--timeout=60s")
                        .orFail()
                        .stdout())
                .contains("condition met");
        assertThat(client.resources(Script.class)
                        .inNamespace(NS)
                        .withName("ticker")
                        .get()
                        .getStatus()
                        .getSchedule())
                .isNotNull();
    }

    @Test
    void anAppAppliedWithKubectlIsServedAndBecomesReady() throws Exception {
        cluster.kubectl("apply", "-n", NS, "-f", "examples/notes-app.yaml").orFail();

        // The runner migrates the app's schema, starts its service and reports it; the operator turns that into Ready.
        assertThat(cluster.kubectl("wait", "-n", NS, "--for=condition=Ready", "app/notes", "--timeout=120s")
                        .orFail()
                        .stdout())
                .contains("condition met");
        try (AppClient session = new AppClient(port, NS, "notes", "alice", "change-me")) {
            session.send(
                    "{\"mt\":\"SqlInsert\",\"src\":\"a\",\"statement\":\"add\",\"args\":{\"text\":\"from the cluster\"}}");
            assertThat(session.next("SqlInsertResult").path("id").asLong()).isPositive();
        }
    }

    @Test
    void aScriptAppliedWithKubectlIsServedAndItsNewCodeWithinOneSecond() throws IOException {
        // A runner in a pod lives long; this one has just started, with the control plane on the same two cores.
        // A few rounds of apply-and-invoke let its JIT settle before anything is timed.
        String warmUuid = ScriptIdentity.nameBasedUuid(NS, "warm-up").toString();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            String expected = "round " + round;
            apply("warm-up", "function main() { return '" + expected + "'; }");
            Await.until("warm-up round " + round, Duration.ofSeconds(30), () -> answer(warmUuid, expected));
        }

        String uuid = ScriptIdentity.nameBasedUuid(NS, "greeting").toString();
        long applied = System.nanoTime();
        long kubectlMs = apply("greeting", "function main(data) { return 'hello ' + data.name; }");
        long firstMs = servedWithin(uuid, "hello Ada", applied);

        List<Long> sinceStart = new ArrayList<>();
        List<Long> sinceApplied = new ArrayList<>();
        for (int change = 0; change < CHANGES; change++) {
            long started = System.nanoTime();
            long kubectl = apply("greeting", "function main(data) { return 'bonjour " + change + " ' + data.name; }");
            long served = servedWithin(uuid, "bonjour " + change + " Ada", started);
            sinceStart.add(served);
            sinceApplied.add(served - kubectl);
        }

        System.out.printf(
                "[measure] kubectl apply of a new Script -> first successful invocation: %d ms (kubectl itself: %d ms)%n",
                firstMs, kubectlMs);
        System.out.printf(
                "[measure] kubectl apply of changed code -> new code served: from kubectl's start %s ms (median %d), from its exit %s ms (median %d)%n",
                sinceStart, median(sinceStart), sinceApplied, median(sinceApplied));
        // Timed from the moment the apply is done (kubectl exited); kubectl's own start-up is not the platform's.
        assertThat(median(sinceApplied))
                .as("new code served within 1 s of the apply: " + sinceApplied)
                .isLessThan(1000);
    }

    /**
     * The control API as tenants who do not trust each other reach it: a Kubernetes token is its holder's, and RBAC
     * on scriptforge.io in the Script's namespace decides, through the chart's view and edit roles. A token from
     * another namespace sees nothing here and changes nothing; the pool's own token (the one a Script would hold
     * if it ever got out of its sandbox) reads no logs and enqueues nothing.
     */
    @Test
    void theControlApiGrantsAKubernetesTokenWhatRbacGrantsItInTheScriptsNamespace() throws IOException {
        ScriptForgeProcesses.applyUserRoles(cluster);
        if (cluster.client().namespaces().withName(OTHER_NS).get() == null) {
            cluster.createNamespace(OTHER_NS);
        }
        String view = ScriptForgeProcesses.USER_ROLES_RELEASE + "-view";
        String edit = ScriptForgeProcesses.USER_ROLES_RELEASE + "-edit";
        String viewer = tenant(NS, "viewer", view);
        String editor = tenant(NS, "editor", view, edit);
        String stranger = tenant(OTHER_NS, "stranger", view, edit);
        String pool = cluster.serviceAccountToken(NS, POOL_SA);
        apply("control-target", "function main() { return 'target'; }");
        String uuid = ScriptIdentity.nameBasedUuid(NS, "control-target").toString();
        Await.until("control-target to be served", Duration.ofSeconds(30), () -> answer(uuid, "target"));

        // No credential, or one the API server does not accept (a made-up one, a tampered signature): 401.
        assertThat(control("GET", "/v1/scripts", null).statusCode()).isEqualTo(401);
        assertThat(control("GET", "/v1/scripts", "not-a-kubernetes-token").statusCode())
                .isEqualTo(401);
        String tampered = viewer.substring(0, viewer.length() - 2) + (viewer.endsWith("AA") ? "BB" : "AA");
        assertThat(control("POST", "/v1/jobs/" + uuid, tampered).statusCode()).isEqualTo(401);

        // Another namespace's editor: nothing listed, nothing read, nothing enqueued.
        assertThat(control("GET", "/v1/scripts", stranger).body()).isEqualTo("[]");
        assertThat(control("GET", "/v1/scripts/" + uuid + "/logs", stranger).statusCode())
                .isEqualTo(403);
        HttpResponse<String> refused = control("POST", "/v1/jobs/" + uuid, stranger);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
                .contains(
                        "system:serviceaccount:" + OTHER_NS + ":stranger may not create scripts/jobs",
                        "namespace " + NS);

        // The pool's own identity reads Scripts (its informer does) but neither logs nor jobs.
        assertThat(control("GET", "/v1/scripts/" + uuid + "/logs", pool).statusCode())
                .isEqualTo(403);
        assertThat(control("POST", "/v1/jobs/" + uuid, pool).statusCode()).isEqualTo(403);

        // A viewer reads but changes nothing; an editor enqueues and cancels.
        assertThat(control("GET", "/v1/scripts", viewer).body()).contains(uuid);
        assertThat(control("GET", "/v1/scripts/" + uuid + "/logs", viewer).statusCode())
                .isEqualTo(200);
        assertThat(control("POST", "/v1/jobs/" + uuid, viewer).statusCode()).isEqualTo(403);
        HttpResponse<String> enqueued = control("POST", "/v1/jobs/" + uuid + "?delay=600000", editor);
        assertThat(enqueued.statusCode()).as(enqueued.body()).isEqualTo(202);
        String job = "/v1/jobs/" + JSON.readTree(enqueued.body()).path("id").asText();
        assertThat(control("GET", job, viewer).body()).contains("\"state\":\"delayed\"");
        assertThat(control("GET", job, stranger).statusCode())
                .as("another tenant's job is unknown to them")
                .isEqualTo(404);
        assertThat(control("GET", "/v1/jobs", stranger).body()).isEqualTo("[]");
        assertThat(control("DELETE", job, stranger).statusCode()).isEqualTo(404);
        assertThat(control("DELETE", job, viewer).statusCode()).isEqualTo(403);
        assertThat(control("GET", job, viewer).body()).contains("\"state\":\"delayed\"");
        assertThat(control("DELETE", job, editor).statusCode()).isEqualTo(200);
        assertThat(control("GET", job, viewer).body()).contains("\"state\":\"cancelled\"");

        // The other listings: the stranger's are empty, the viewer's answer.
        for (String listing : List.of("/v1/invocations", "/v1/schedules", "/v1/apps", "/v1/jobs")) {
            assertThat(control("GET", listing, stranger).body()).as(listing).isEqualTo("[]");
            assertThat(control("GET", listing, viewer).statusCode()).as(listing).isEqualTo(200);
        }

        // A running invocation: unknown to the stranger, seen but not cancellable by the viewer, cancelled by the
        // editor.
        // Type app: async code (a Script of type script that returns a Promise fails at once, and would not stay
        // running).
        Path slowFile = cluster.logsDir().resolve("control-slow.yaml");
        Files.writeString(slowFile, """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: control-slow}
                spec: {type: app, code: "async function main() { await new Promise(r => setTimeout(r, 20000)); return 'slow'; }"}
                """);
        cluster.kubectl("apply", "-n", NS, "-f", slowFile.toString()).orFail();
        String slow = ScriptIdentity.nameBasedUuid(NS, "control-slow").toString();
        Await.untilTrue(
                "control-slow to be loaded",
                Duration.ofSeconds(30),
                () -> control("GET", "/v1/scripts", viewer).body().contains(slow));
        var running = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/invoke/" + slow))
                        .header("X-Invocation-Id", "control-slow-1")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Await.untilTrue(
                "the slow invocation to be listed",
                Duration.ofSeconds(30),
                () -> control("GET", "/v1/invocations", viewer).body().contains("control-slow-1"));
        assertThat(control("GET", "/v1/invocations", stranger).body()).isEqualTo("[]");
        assertThat(control("DELETE", "/v1/invocations/control-slow-1", stranger).statusCode())
                .isEqualTo(404);
        assertThat(control("DELETE", "/v1/invocations/control-slow-1", viewer).statusCode())
                .isEqualTo(403);
        assertThat(control("DELETE", "/v1/invocations/control-slow-1", editor).statusCode())
                .isEqualTo(202);
        assertThat(running.join().statusCode()).isEqualTo(487);
    }

    /**
     * A Script's own spec.auth in a cluster: a bearer token from a Secret the runner reads with the pool's identity,
     * and a verb on the one Script that RBAC grants (resourceNames), asked of the API server with the caller's token.
     */
    @Test
    void aGuardedScriptRunsOnlyForItsSecretsTokenOrForWhomRbacGrantsItsVerb() throws IOException {
        KubernetesClient client = cluster.client();
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("hook-token")
                        .endMetadata()
                        .addToStringData("token", "cluster-hook-token-5b1e")
                        .build())
                .serverSideApply();
        Path file = cluster.logsDir().resolve("guarded.yaml");
        Files.writeString(file, """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: guarded-bearer}
                spec: {code: "function main() { return 'bearer ok'; }", auth: {bearer: {name: hook-token, key: token}}}
                ---
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: guarded-verb}
                spec: {code: "function main() { return 'verb ok'; }", auth: {kubernetes: {verb: invoke}}}
                ---
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: guarded-verb-other}
                spec: {code: "function main() { return 'other ok'; }", auth: {kubernetes: {verb: invoke}}}
                """);
        cluster.kubectl("apply", "-n", NS, "-f", file.toString()).orFail();
        client.rbac()
                .roles()
                .inNamespace(NS)
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("invoke-guarded-verb")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("scriptforge.io")
                        .withResources("scripts")
                        .withResourceNames("guarded-verb")
                        .withVerbs("invoke")
                        .endRule()
                        .build())
                .serverSideApply();
        client.serviceAccounts()
                .inNamespace(NS)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("invoker")
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.rbac()
                .roleBindings()
                .inNamespace(NS)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("invoker")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("invoke-guarded-verb")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("invoker")
                        .withNamespace(NS)
                        .endSubject()
                        .build())
                .serverSideApply();
        String invoker = cluster.serviceAccountToken(NS, "invoker");
        String pool = cluster.serviceAccountToken(NS, POOL_SA);
        String bearer = "/v1/invoke/" + ScriptIdentity.nameBasedUuid(NS, "guarded-bearer");
        String verb = "/v1/invoke/" + ScriptIdentity.nameBasedUuid(NS, "guarded-verb");
        String other = "/v1/invoke/" + ScriptIdentity.nameBasedUuid(NS, "guarded-verb-other");
        Await.untilTrue(
                "the guarded Scripts to be served",
                Duration.ofSeconds(30),
                () -> control("POST", other, null).statusCode() == 401
                        && control("POST", verb, null).statusCode() == 401
                        && control("POST", bearer, null).statusCode() == 401);

        assertThat(control("POST", bearer, "another-token").statusCode()).isEqualTo(401);
        assertThat(control("POST", bearer, invoker).statusCode())
                .as("a Kubernetes token is not the Secret's")
                .isEqualTo(401);
        HttpResponse<String> served = control("POST", bearer, "cluster-hook-token-5b1e");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("bearer ok");

        assertThat(control("POST", verb, "not-a-kubernetes-token").statusCode()).isEqualTo(401);
        HttpResponse<String> refused = control("POST", verb, pool);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("may not invoke scripts named guarded-verb");
        assertThat(control("POST", other, invoker).statusCode())
                .as("the Role names guarded-verb only")
                .isEqualTo(403);
        HttpResponse<String> granted = control("POST", verb, invoker);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(granted.body()).isEqualTo("verb ok");
    }

    /** A ServiceAccount of {@code namespace} bound there to {@code clusterRoles}; its token. */
    private String tenant(String namespace, String name, String... clusterRoles) {
        KubernetesClient client = cluster.client();
        client.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .serverSideApply();
        for (String role : clusterRoles) {
            client.rbac()
                    .roleBindings()
                    .inNamespace(namespace)
                    .resource(new RoleBindingBuilder()
                            .withNewMetadata()
                            .withName(name + "-" + role)
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("ClusterRole")
                            .withName(role)
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName(name)
                            .withNamespace(namespace)
                            .endSubject()
                            .build())
                    .serverSideApply();
        }
        return cluster.serviceAccountToken(namespace, name);
    }

    private static HttpResponse<String> control(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aScriptOfAnotherPoolIsNotServedHere() throws IOException {
        Path file = cluster.logsDir().resolve("elsewhere.yaml");
        Files.writeString(file, """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: elsewhere}
                spec: {pool: short-lived, code: "function main() { return 'not here'; }"}
                """);
        cluster.kubectl("apply", "-n", NS, "-f", file.toString()).orFail();
        apply("marker", "function main() { return 'marker'; }");
        Await.until(
                "a later Script to be served",
                Duration.ofSeconds(30),
                () -> answer(ScriptIdentity.nameBasedUuid(NS, "marker").toString(), "marker"));

        assertThat(status(ScriptIdentity.nameBasedUuid(NS, "elsewhere").toString()))
                .isEqualTo(404);
    }

    @Test
    void theChartsHelmTestPodsPassAgainstARunnerOfThePool() {
        List<Pod> pods = ChartTestPods.render(cluster, NS);
        assertThat(pods)
                .extracting(pod -> pod.getMetadata().getName())
                .containsExactlyInAnyOrder("scriptforge-test-runner-ready", "scriptforge-test-runner-unknown-uuid");

        for (Pod pod : pods) {
            CommandResult probe = ChartTestPods.run(
                    cluster, pod, POOL_SERVICE, "http://127.0.0.1:" + port, Map.of("PROBE_WAIT_SECONDS", "30"));
            assertThat(probe.exitCode()).as(probe.toString()).isZero();
            assertThat(probe.stdout()).contains("ok: ");
        }
    }

    @Test
    void aChartTestPodThatGetsAnotherAnswerFailsShowingIt() {
        Pod unknownUuid = ChartTestPods.render(cluster, NS).stream()
                .filter(pod -> pod.getMetadata().getName().endsWith("unknown-uuid"))
                .findFirst()
                .orElseThrow();
        unknownUuid.getSpec().getContainers().getFirst().getArgs().set(2, "200");

        CommandResult probe = ChartTestPods.run(
                cluster, unknownUuid, POOL_SERVICE, "http://127.0.0.1:" + port, Map.of("PROBE_WAIT_SECONDS", "1"));

        assertThat(probe.exitCode()).as(probe.toString()).isEqualTo(1);
        assertThat(probe.stdout())
                .contains(
                        "FAILED after 1 s",
                        "expected 200",
                        "last answer: 404 {\"error\":{\"code\":404,\"reason\":\"Not Found\"");
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Milliseconds from {@code since} until the script answers {@code expected}, polled every 10 ms. */
    private static long servedWithin(String uuid, String expected, long since) {
        long deadline = since + Duration.ofSeconds(30).toNanos();
        while (answer(uuid, expected) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runner did not serve '" + expected + "' within 30 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** @return how long kubectl apply took */
    private long apply(String name, String code) throws IOException {
        Path file = cluster.logsDir().resolve("runner-it-" + name + ".yaml");
        Files.writeString(file, """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: %s}
                spec:
                  code: "%s"
                """.formatted(name, code.replace("\"", "\\\"")));
        long start = System.nanoTime();
        cluster.kubectl("apply", "-n", NS, "-f", file.toString()).orFail();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The body when the script answers 200 with {@code expected}; null otherwise (keep polling). */
    private static String answer(String uuid, String expected) {
        try {
            HttpResponse<String> response = HTTP.send(invoke(uuid), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && expected.equals(response.body()) ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int status(String uuid) {
        try {
            return HTTP.send(invoke(uuid), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpRequest invoke(String uuid) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/invoke/" + uuid))
                .timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}"))
                .build();
    }
}
