package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scriptforge.crd.App;
import io.scriptforge.crd.ResourceStatus;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptIdentity;
import io.scriptforge.it.cluster.Await;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator, run as its jar against a real API server: what applying our resources with kubectl leads to. */
@WithCluster
class OperatorIT {
    private static final String NS = "operator-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final TestCluster cluster;
    private final KubernetesClient client;

    OperatorIT(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    @BeforeAll
    static void operatorAndDefaultPool(TestCluster cluster) throws URISyntaxException {
        cluster.installCrds();
        cluster.createNamespace(NS);
        ScriptForgeProcesses.operator(cluster);
        cluster.kubectl("apply", "-n", NS, "-f", fixture("default-pool.yaml")).orFail();
    }

    @Test
    void aRunnerPoolBecomesItsDeploymentServiceAutoscalerBudgetAndRbacWithRunningPods() {
        RunnerPool pool = awaitReady(() -> client.resources(RunnerPool.class)
                .inNamespace(NS)
                .withName("default")
                .get());
        String name = "scriptforge-runner-default";

        Deployment deployment =
                client.apps().deployments().inNamespace(NS).withName(name).get();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(ScriptForgeProcesses.RUNNER_IMAGE);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(name);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("time to drain")
                .isEqualTo(45L);
        HorizontalPodAutoscaler hpa = client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(NS)
                .withName(name)
                .get();
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
        PodDisruptionBudget pdb = client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName(name)
                .get();
        Role role = client.rbac().roles().inNamespace(NS).withName(name).get();
        RoleBinding binding =
                client.rbac().roleBindings().inNamespace(NS).withName(name).get();
        ServiceAccount account =
                client.serviceAccounts().inNamespace(NS).withName(name).get();
        var service = client.services().inNamespace(NS).withName(name).get();
        assertThat(List.<HasMetadata>of(deployment, hpa, pdb, role, binding, account, service))
                .allSatisfy(owned -> assertThat(owned.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(ref -> assertThat(ref.getUid())
                                .isEqualTo(pool.getMetadata().getUid())));
        // The Role the operator could create (it holds what it grants): read Scripts and Apps, report Apps, get their
        // Secrets.
        assertThat(role.getRules())
                .extracting(rule -> rule.getResources() + "=" + rule.getVerbs())
                .containsExactly(
                        "[scripts, apps]=[get, list, watch]",
                        "[apps/status, scripts/status]=[patch]",
                        "[secrets, configmaps]=[get]");

        // The autoscaler brings the Deployment to minReplicas; kwok makes the pods Running and Ready.
        List<Pod> pods = Await.until("2 running runner pods", TIMEOUT, () -> {
            List<Pod> running = client
                    .pods()
                    .inNamespace(NS)
                    .withLabel("app.kubernetes.io/instance", "default")
                    .list()
                    .getItems()
                    .stream()
                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                    .toList();
            return running.size() >= 2 ? running : null;
        });
        assertThat(pods).hasSize(2);
        assertThat(client.resources(RunnerPool.class)
                        .inNamespace(NS)
                        .withName("default")
                        .get()
                        .getStatus()
                        .getReadyReplicas())
                .isEqualTo(2);
    }

    @Test
    void theExamplesGetTheirUuidAndUrlAndBecomeReady() {
        cluster.kubectl("apply", "-n", NS, "-f", "examples/").orFail();

        assertThat(cluster.kubectl(
                                "wait",
                                "-n",
                                NS,
                                "--for=condition=Ready",
                                "script/hello",
                                "script/dnc-check",
                                "script/counter",
                                "script/heartbeat",
                                "--timeout=90s")
                        .orFail()
                        .stdout())
                .contains("condition met");

        Script hello =
                client.resources(Script.class).inNamespace(NS).withName("hello").get();
        assertThat(hello.getStatus().getUuid()).isEqualTo("7f0c5a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f");
        assertThat(hello.getStatus().getUrl())
                .isEqualTo("http://scriptforge-runner-default." + NS
                        + ".svc/v1/invoke/7f0c5a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f");
        Script dnc = client.resources(Script.class)
                .inNamespace(NS)
                .withName("dnc-check")
                .get();
        assertThat(dnc.getStatus().getUuid())
                .isEqualTo(ScriptIdentity.nameBasedUuid(NS, "dnc-check").toString());
        assertThat(dnc.getStatus().getObservedGeneration())
                .isEqualTo(dnc.getMetadata().getGeneration());
    }

    @Test
    void aSyntaxErrorIsReportedInReadyWithLineAndColumn() throws URISyntaxException {
        cluster.kubectl("apply", "-n", NS, "-f", fixture("broken-script.yaml")).orFail();

        Condition ready = Await.until(
                "Ready=False on script/broken",
                TIMEOUT,
                () -> readyOf(client.resources(Script.class)
                        .inNamespace(NS)
                        .withName("broken")
                        .get()));

        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("SyntaxError");
        assertThat(ready.getMessage()).startsWith("spec.code: syntax error at " + NS + "/broken.js:2:");
    }

    @Test
    void aSettledStatusIsNotWrittenAgain() throws IOException {
        Script settled = Await.until("a Ready condition on script/hello", TIMEOUT, () -> {
            cluster.kubectl("apply", "-n", NS, "-f", "examples/hello.yaml").orFail();
            Script s = client.resources(Script.class)
                    .inNamespace(NS)
                    .withName("hello")
                    .get();
            return readyOf(s) != null && "True".equals(readyOf(s).getStatus()) ? s : null;
        });
        String unchanged = "Script " + NS + "/hello: status unchanged, not written";
        long before = occurrences(unchanged);

        // A change to the pool makes the operator decide every Script of the pool again; nothing about hello changed.
        client.resources(RunnerPool.class).inNamespace(NS).withName("default").edit(p -> {
            p.getMetadata().setLabels(java.util.Map.of("touched", String.valueOf(System.nanoTime())));
            return p;
        });
        Await.untilTrue("the operator to decide script/hello again", TIMEOUT, () -> occurrences(unchanged) > before);

        Script later =
                client.resources(Script.class).inNamespace(NS).withName("hello").get();
        assertThat(later.getMetadata().getResourceVersion())
                .as("the operator wrote nothing")
                .isEqualTo(settled.getMetadata().getResourceVersion());
        assertThat(readyOf(later).getLastTransitionTime())
                .isEqualTo(readyOf(settled).getLastTransitionTime());
    }

    private long occurrences(String line) {
        try (var lines = Files.lines(ScriptForgeProcesses.operator(cluster).log())) {
            return lines.filter(l -> l.contains(line)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAppIsValidatedAndWaitsForARunnerToServeIt() throws URISyntaxException {
        cluster.kubectl("apply", "-n", NS, "-f", fixture("notes-app.yaml")).orFail();

        App app = Await.until("a status on app/notes", TIMEOUT, () -> {
            App current = client.resources(App.class)
                    .inNamespace(NS)
                    .withName("notes")
                    .get();
            return current.getStatus() != null
                            && current.getStatus().condition("Valid").isPresent()
                    ? current
                    : null;
        });

        assertThat(app.getStatus().condition("Valid").orElseThrow().getStatus()).isEqualTo("True");
        // No runner runs in this test: nobody reported serving it (RunnerInClusterIT has one that does).
        assertThat(app.getStatus().condition(ResourceStatus.READY).orElseThrow().getReason())
                .isEqualTo("RuntimePending");
    }

    @Test
    void deletingARunnerPoolGarbageCollectsEverythingItOwned() throws URISyntaxException {
        cluster.kubectl("apply", "-n", NS, "-f", fixture("short-lived-pool.yaml"))
                .orFail();
        String name = "scriptforge-runner-short-lived";
        Await.untilTrue(
                "the short-lived pool's objects",
                TIMEOUT,
                () -> client.apps().deployments().inNamespace(NS).withName(name).get() != null
                        && client.policy()
                                        .v1()
                                        .podDisruptionBudget()
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get()
                                != null);

        cluster.kubectl("delete", "-n", NS, "runnerpool/short-lived", "--wait=true")
                .orFail();

        Await.untilTrue(
                "the garbage collector to remove what the pool owned",
                TIMEOUT,
                () -> client.apps().deployments().inNamespace(NS).withName(name).get() == null
                        && client.services().inNamespace(NS).withName(name).get() == null
                        && client.autoscaling()
                                        .v2()
                                        .horizontalPodAutoscalers()
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get()
                                == null
                        && client.policy()
                                        .v1()
                                        .podDisruptionBudget()
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get()
                                == null
                        && client.serviceAccounts()
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get()
                                == null
                        && client.rbac().roles().inNamespace(NS).withName(name).get() == null
                        && client.rbac()
                                        .roleBindings()
                                        .inNamespace(NS)
                                        .withName(name)
                                        .get()
                                == null);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("scriptforge-runner-default")
                        .get())
                .as("other pools are untouched")
                .isNotNull();
    }

    @Test
    void theApiServerRefusesRulesThatSpanFieldsAndNamesTheField() throws URISyntaxException {
        var pool = cluster.kubectl("apply", "-n", NS, "-f", fixture("pool-with-min-above-max.yaml"));
        assertThat(pool.exitCode()).isNotZero();
        assertThat(pool.stderr()).contains("spec.minReplicas", "must not exceed spec.maxReplicas");

        var script = cluster.kubectl("apply", "-n", NS, "-f", fixture("script-type-with-modules.yaml"));
        assertThat(script.exitCode()).isNotZero();
        assertThat(script.stderr()).contains("spec.modules", "a Script of type script may not use modules");
    }

    @Test
    void theApiServerRefusesAStabilizationWindowOverAnHourNamingTheField() throws URISyntaxException {
        var pool = cluster.kubectl("apply", "-n", NS, "-f", fixture("pool-with-a-window-over-an-hour.yaml"));

        assertThat(pool.exitCode()).isNotZero();
        assertThat(pool.stderr()).contains("spec.scaleDownStabilization", "at most 1h");
    }

    @Test
    void theAutoscalerTakesThePoolsStabilizationWindowsAndKubernetesDefaultsTheRest() throws URISyntaxException {
        cluster.kubectl("apply", "-n", NS, "-f", fixture("pool-with-short-windows.yaml"))
                .orFail();

        HorizontalPodAutoscaler hpa = Await.until(
                "the quick pool's autoscaler",
                TIMEOUT,
                () -> client.autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(NS)
                        .withName("scriptforge-runner-quick")
                        .get());

        assertThat(hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds())
                .isZero();
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
                .isEqualTo(30);
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getPolicies())
                .as("the API server's default policies")
                .isNotEmpty();
    }

    private static RunnerPool awaitReady(Supplier<RunnerPool> pool) {
        return Await.until("RunnerPool Ready=True", TIMEOUT, () -> {
            RunnerPool current = pool.get();
            return current != null
                            && current.getStatus() != null
                            && current.getStatus().isReady()
                    ? current
                    : null;
        });
    }

    private static Condition readyOf(Script script) {
        return script == null || script.getStatus() == null
                ? null
                : script.getStatus().condition(ResourceStatus.READY).orElse(null);
    }

    private static String fixture(String name) throws URISyntaxException {
        return Path.of(OperatorIT.class.getResource("/OperatorIT/" + name).toURI())
                .toString();
    }
}
