package io.scriptforge.operator.pool.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.Fixtures;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The objects a RunnerPool becomes, built without any client. */
class RunnerPoolResourcesTest {
    private static final RunnerSettings SETTINGS =
            new RunnerSettings("registry.test/runner:1", "IfNotPresent", Optional.of("scriptforge-database"));
    private static final RunnerPool POOL = Fixtures.parse(RunnerPool.class, """
            apiVersion: scriptforge.io/v1alpha1
            kind: RunnerPool
            metadata: {name: fast, namespace: team-a}
            spec:
              minReplicas: 2
              maxReplicas: 7
              targetCPUUtilizationPercentage: 60
              sandbox: {defaultTimeout: 1m30s, memoryBudget: 64Mi, jsThreads: 4, jsThreadsPerScript: 1, jsThreadsPerNamespace: 3}
              egress: {allowHosts: [api.stripe.com, '*.example.org'], allowCidrs: [10.20.0.0/16]}
            """);

    @Test
    void deploymentRunsTheOperatorsRunnerImageUnderThePoolsOwnServiceAccount() {
        Deployment deployment = RunnerDeployment.desired(POOL, SETTINGS);
        assertThat(deployment.getMetadata().getName()).isEqualTo("scriptforge-runner-fast");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(runner(deployment).getImage()).isEqualTo("registry.test/runner:1");
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("scriptforge-runner-fast");
    }

    @Test
    void deploymentLeavesReplicasToTheAutoscaler() {
        assertThat(RunnerDeployment.desired(POOL, SETTINGS).getSpec().getReplicas())
                .isNull();
    }

    @Test
    void runnersAreToldTheirPoolNamespaceSandboxLimitsAndDatabase() {
        Map<String, EnvVar> env = envOf(RunnerDeployment.desired(POOL, SETTINGS));
        assertThat(env.get("SCRIPTFORGE_KUBERNETES_ENABLED").getValue()).isEqualTo("true");
        assertThat(env.get("SCRIPTFORGE_KUBERNETES_POOL").getValue()).isEqualTo("fast");
        assertThat(env.get("SCRIPTFORGE_KUBERNETES_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("SCRIPTFORGE_DEFAULT_TIMEOUT").getValue())
                .isEqualTo("PT1M30S"); // as Quarkus reads durations
        assertThat(env.get("SCRIPTFORGE_MEMORY_BUDGET_BYTES").getValue()).isEqualTo(String.valueOf(64L * 1024 * 1024));
        assertThat(env.get("SCRIPTFORGE_JS_THREADS").getValue()).isEqualTo("4");
        assertThat(env.get("SCRIPTFORGE_JS_THREADS_PER_SCRIPT").getValue()).isEqualTo("1"); // the fair share, per pool
        assertThat(env.get("SCRIPTFORGE_JS_THREADS_PER_NAMESPACE").getValue()).isEqualTo("3");
        assertThat(env.get("SCRIPTFORGE_DATABASE_URL")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("scriptforge-database");
        assertThat(env).doesNotContainKey("SCRIPTFORGE_WORKER_MEMORY_BUDGET_BYTES");
    }

    @Test
    void runnersAreGivenThePoolsEgressPolicy() {
        Map<String, EnvVar> env = envOf(RunnerDeployment.desired(POOL, SETTINGS));
        assertThat(env.get("SCRIPTFORGE_EGRESS_ALLOW_HOSTS").getValue()).isEqualTo("api.stripe.com,*.example.org");
        assertThat(env.get("SCRIPTFORGE_EGRESS_ALLOW_CIDRS").getValue()).isEqualTo("10.20.0.0/16");
        RunnerPool defaults = Fixtures.parse(
                RunnerPool.class,
                "apiVersion: scriptforge.io/v1alpha1\nkind: RunnerPool\nmetadata: {name: p, namespace: n}\nspec: {}\n");
        assertThat(runner(RunnerDeployment.desired(defaults, SETTINGS)).getEnv())
                .noneMatch(e -> e.getName().startsWith("SCRIPTFORGE_EGRESS_"));
    }

    private static Map<String, EnvVar> envOf(Deployment deployment) {
        return runner(deployment).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void runnerContainersAreLockedDown() {
        Deployment deployment = RunnerDeployment.desired(POOL, SETTINGS);
        Container runner = runner(deployment);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsNonRoot())
                .isTrue();
        assertThat(runner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(runner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(runner.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(runner.getResources().getRequests()).containsKey("cpu"); // the autoscaler's target is a share of it
    }

    @Test
    void serviceSelectsExactlyThePodsOfTheDeployment() {
        Deployment deployment = RunnerDeployment.desired(POOL, SETTINGS);
        var service = RunnerService.desired(POOL);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
    }

    @Test
    void autoscalerKeepsThePoolBetweenItsBoundsOnCpu() {
        HorizontalPodAutoscaler hpa = RunnerAutoscaler.desired(POOL);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scriptforge-runner-fast");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(7);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
                .isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                            | scaleUp | scaleDown | up s | down s
            no window set: no behavior, Kubernetes' defaults  | -       | -         | -    | -
            a scale-down window alone                         | -       | 30s       | -    | 30
            a scale-up window alone                           | 15s     | -         | 15   | -
            both, in minutes and hours                        | 1m30s   | 1h        | 90   | 3600
            a zero scale-up window                            | 0s      | 2m        | 0    | 120
            """)
    void autoscalerWritesOnlyTheStabilizationWindowsThePoolSets(
            String name, String up, String down, Integer upSeconds, Integer downSeconds) {
        RunnerPool pool = Fixtures.parse(
                RunnerPool.class,
                "apiVersion: scriptforge.io/v1alpha1\nkind: RunnerPool\nmetadata: {name: p, namespace: n}\nspec: {}\n");
        pool.getSpec().setScaleUpStabilization(up);
        pool.getSpec().setScaleDownStabilization(down);

        HorizontalPodAutoscalerBehavior behavior =
                RunnerAutoscaler.desired(pool).getSpec().getBehavior();

        if (upSeconds == null && downSeconds == null) {
            assertThat(behavior).isNull();
            return;
        }
        assertThat(behavior.getScaleUp() == null ? null : behavior.getScaleUp().getStabilizationWindowSeconds())
                .isEqualTo(upSeconds);
        assertThat(
                        behavior.getScaleDown() == null
                                ? null
                                : behavior.getScaleDown().getStabilizationWindowSeconds())
                .isEqualTo(downSeconds);
        // Policies stay the API server's defaults.
        assertThat(Stream.of(behavior.getScaleUp(), behavior.getScaleDown()).filter(Objects::nonNull))
                .allSatisfy(rules -> assertThat(rules.getPolicies()).isEmpty());
    }

    @Test
    void aPoolWithoutASpecGetsTheDocumentedDefaults() {
        RunnerPool pool = Fixtures.parse(RunnerPool.class, """
                apiVersion: scriptforge.io/v1alpha1
                kind: RunnerPool
                metadata: {name: default, namespace: team-a}
                """);
        HorizontalPodAutoscaler hpa = RunnerAutoscaler.desired(pool);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
                .isEqualTo(70);
        assertThat(hpa.getSpec().getBehavior())
                .as("Kubernetes' default scaling behaviour")
                .isNull();
        assertThat(runner(RunnerDeployment.desired(pool, SETTINGS)).getResources())
                .isEqualTo(RunnerDeployment.DEFAULT_RESOURCES);
    }

    @Test
    void rolloutsAddARunnerBeforeTheyTakeOneAway() {
        var spec = RunnerDeployment.desired(POOL, SETTINGS).getSpec();
        assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .isZero();
        assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
                .isEqualTo(1);
        assertThat(spec.getMinReadySeconds())
                .as("a new runner proves itself before an old one goes")
                .isEqualTo(5);
    }

    @Test
    void aStoppingRunnerHasTimeToDrainAndFinishWhatItRuns() {
        var pod =
                RunnerDeployment.desired(POOL, SETTINGS).getSpec().getTemplate().getSpec();
        // 5 s of serving with Connection: close, up to 30 s for the invocations in flight, then the JVM's shutdown.
        assertThat(pod.getTerminationGracePeriodSeconds())
                .isEqualTo(45L)
                .isGreaterThan((long) RunnerLifecycle.DRAIN_DELAY_SECONDS + RunnerLifecycle.IN_FLIGHT_SECONDS);
        Probe readiness = runner(RunnerDeployment.desired(POOL, SETTINGS)).getReadinessProbe();
        assertThat(readiness.getPeriodSeconds() * readiness.getFailureThreshold())
                .as("a draining runner leaves the Service within its drain delay")
                .isLessThan(RunnerLifecycle.DRAIN_DELAY_SECONDS);
    }

    @Test
    void aSlowFirstStartIsNeitherKilledNorServed() {
        Container runner = runner(RunnerDeployment.desired(POOL, SETTINGS));
        Probe startup = runner.getStartupProbe();
        assertThat(startup.getHttpGet().getPath())
                .as("ready means warm: liveness waits for it")
                .isEqualTo("/q/health/ready");
        assertThat(startup.getInitialDelaySeconds() + startup.getPeriodSeconds() * startup.getFailureThreshold())
                .as("seconds a first start may take: JVM start and JIT warm-up on 2 busy cores")
                .isGreaterThanOrEqualTo(120);
        assertThat(runner.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
        assertThat(runner.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(runner.getLivenessProbe().getPeriodSeconds()
                        * runner.getLivenessProbe().getFailureThreshold())
                .isEqualTo(30);
    }

    @Test
    void disruptionBudgetLetsOneRunnerGoAtATimeAndNeverBlocksADrain() {
        PodDisruptionBudget pdb = RunnerDisruptionBudget.desired(POOL);
        // maxUnavailable, not minAvailable: with minReplicas 1, minAvailable 1 would refuse every eviction.
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy())
                .as("a runner that is not Ready never uses up the budget")
                .isEqualTo("AlwaysAllow");
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(RunnerService.desired(POOL).getSpec().getSelector());
    }

    @Test
    void runnersMayOnlyReadScriptsAndAppsOfTheirNamespaceAndGetTheSecretsAppsName() {
        Role role = RunnerAccess.role(POOL);
        assertThat(role.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(role.getRules()).hasSize(3);
        assertThat(role.getRules().get(0)).satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("scriptforge.io");
            assertThat(rule.getResources()).containsExactlyInAnyOrder("scripts", "apps");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        assertThat(role.getRules().get(1)).satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("apps/status", "scripts/status");
            assertThat(rule.getVerbs()).containsExactly("patch"); // an App's status.runtime, a Script's status.schedule
        });
        assertThat(role.getRules().get(2)).satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactlyInAnyOrder("secrets", "configmaps");
            assertThat(rule.getVerbs()).containsExactly("get"); // never list: only the ones an App names
        });
        RoleBinding binding = RunnerAccess.roleBinding(POOL);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName())
                    .isEqualTo(RunnerAccess.serviceAccount(POOL).getMetadata().getName());
        });
    }

    private static Container runner(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
