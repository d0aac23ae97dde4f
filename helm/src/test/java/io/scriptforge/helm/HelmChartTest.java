package io.scriptforge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chart in {@code helm/scriptforge}, linted and rendered by the Helm library helm-java bundles (no cluster).
 * Each case renders the chart once and states what the rendered objects must say.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("scriptforge");
    /** The same chart with its test hooks rendered as plain objects. */
    private static final Path UNHOOKED = ChartHooks.unhooked(CHART);
    /** helm-java renders for Kubernetes 1.20 by default, which the chart's kubeVersion (>=1.28) refuses. */
    private static final String KUBE_VERSION = "1.32.3";

    private static final String RELEASE = "scriptforge";
    private static final String NAMESPACE = "scriptforge";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static FakeApiServer cluster;

    @BeforeAll
    static void startFakeApiServer() {
        cluster = new FakeApiServer().start();
    }

    @AfterAll
    static void stopFakeApiServer() {
        cluster.stop();
    }

    @AfterEach
    void emptyTheCluster() {
        cluster.clear();
    }

    @Test
    void strictLintReportsNoErrorOrWarning() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed())
                .as("helm lint --strict failed:%n%s", String.join("\n", lint.getMessages()))
                .isFalse();
        assertThat(lint.getMessages())
                .as("helm lint --strict messages")
                .noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithDefaultValues {

        private Rendered rendered;

        @BeforeAll
        void renderWithDefaultValues() {
            rendered = render(template -> template);
        }

        @Test
        void rendersTheOperatorItsRbacTheDefaultPoolAndABundledPostgresql() {
            assertThat(rendered.kindsAndNames())
                    .containsExactlyInAnyOrder(
                            "ServiceAccount/scriptforge",
                            "Secret/scriptforge-database",
                            "ClusterRole/scriptforge",
                            "ClusterRoleBinding/scriptforge",
                            "ClusterRole/scriptforge-view",
                            "ClusterRole/scriptforge-edit",
                            "Role/scriptforge-leader-election",
                            "RoleBinding/scriptforge-leader-election",
                            "Service/scriptforge-postgresql",
                            "Deployment/scriptforge",
                            "StatefulSet/scriptforge-postgresql",
                            "RunnerPool/default",
                            "Pod/scriptforge-test-runner-ready",
                            "Pod/scriptforge-test-runner-unknown-uuid");
        }

        @Test
        void everyObjectCarriesTheStandardLabels() {
            for (JsonNode object : rendered.objects) {
                assertThat(object.path("metadata").path("labels").properties())
                        .as("labels of %s", kindAndName(object))
                        .extracting(Map.Entry::getKey)
                        .contains(
                                "app.kubernetes.io/name",
                                "app.kubernetes.io/instance",
                                "app.kubernetes.io/version",
                                "app.kubernetes.io/managed-by",
                                "helm.sh/chart");
            }
        }

        @Test
        void operatorRunsOneNonRootReplicaWithAReadOnlyRootFilesystem() {
            JsonNode deployment = rendered.one("Deployment", "scriptforge");
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = operatorContainer(deployment);

            assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
            // Followers are Ready (leader election), so the new pod starts before the old one stops.
            assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
            assertThat(deployment
                            .at("/spec/strategy/rollingUpdate/maxUnavailable")
                            .asInt())
                    .isZero();
            assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt())
                    .isEqualTo(1);
            assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/scriptforge/scriptforge-operator:0.1.0");
            assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("scriptforge");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(185);
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            JsonNode security = container.at("/securityContext");
            assertThat(security.at("/runAsNonRoot").asBoolean()).isTrue();
            assertThat(security.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(security.at("/allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("384Mi");
        }

        @Test
        void operatorIsToldTheRunnerImageTheDatabaseSecretAndToWatchEveryNamespace() {
            Map<String, String> env = env(operatorContainer(rendered.one("Deployment", "scriptforge")));

            assertThat(env)
                    .containsEntry("SCRIPTFORGE_OPERATOR_RUNNER_IMAGE", "ghcr.io/scriptforge/scriptforge-runner:0.1.0")
                    .containsEntry("SCRIPTFORGE_OPERATOR_RUNNER_IMAGE_PULL_POLICY", "IfNotPresent")
                    .containsEntry("SCRIPTFORGE_OPERATOR_DATABASE_SECRET", "scriptforge-database")
                    .containsEntry("QUARKUS_OPERATOR_SDK_CRD_APPLY", "false")
                    .containsEntry("QUARKUS_OPERATOR_SDK_CRD_VALIDATE", "false")
                    .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES");
        }

        @Test
        void operatorElectsItsLeaderWithALeaseInItsOwnNamespaceHeldUnderItsPodName() {
            JsonNode container = operatorContainer(rendered.one("Deployment", "scriptforge"));

            assertThat(env(container)).containsEntry("SCRIPTFORGE_OPERATOR_LEADER_ELECTION_LEASE_NAME", "scriptforge");
            assertThat(fieldRefs(container))
                    .containsEntry("POD_NAMESPACE", "metadata.namespace")
                    .containsEntry("POD_NAME", "metadata.name");
        }

        @Test
        void leaderElectionRoleGrantsCreateAndTheRestOnTheOperatorsOwnLeaseOnly() {
            JsonNode role = rendered.one("Role", "scriptforge-leader-election");
            JsonNode binding = rendered.one("RoleBinding", "scriptforge-leader-election");

            assertThat(role.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
            assertThat(role.path("rules")).hasSize(2);
            assertThat(role.at("/rules/0/apiGroups").toString()).isEqualTo("[\"coordination.k8s.io\"]");
            assertThat(role.at("/rules/0/resources").toString()).isEqualTo("[\"leases\"]");
            assertThat(texts(role.at("/rules/0/verbs")))
                    .as("a create cannot be limited by name")
                    .containsExactly("create");
            assertThat(role.at("/rules/0/resourceNames").isMissingNode()).isTrue();
            assertThat(role.at("/rules/1/resources").toString()).isEqualTo("[\"leases\"]");
            assertThat(texts(role.at("/rules/1/resourceNames"))).containsExactly("scriptforge");
            assertThat(texts(role.at("/rules/1/verbs"))).containsExactly("get", "update", "patch");
            assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
            assertThat(binding.at("/roleRef/name").asText()).isEqualTo("scriptforge-leader-election");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("scriptforge");
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
        }

        @Test
        void helmTestPodsProbeTheDefaultPoolsServiceWithTheRunnerImage() {
            JsonNode ready = rendered.one("Pod", "scriptforge-test-runner-ready");
            JsonNode unknown = rendered.one("Pod", "scriptforge-test-runner-unknown-uuid");
            String service = "http://scriptforge-runner-default.scriptforge.svc";

            assertThat(texts(ready.at("/spec/containers/0/args")))
                    .containsExactly("GET", service + "/q/health/ready", "200");
            // The runner's error format: {"error":{"code":404,"reason":"Not Found",...}}
            assertThat(texts(unknown.at("/spec/containers/0/args")))
                    .containsExactly(
                            "POST",
                            service + "/v1/invoke/00000000-0000-4000-8000-000000000000",
                            "404",
                            "{\"error\":{\"code\":404,\"reason\":\"Not Found\"");
            for (JsonNode pod : List.of(ready, unknown)) {
                JsonNode container = pod.at("/spec/containers/0");
                assertThat(pod.at("/metadata/annotations/unhooked.helm.sh~1hook")
                                .asText())
                        .isEqualTo("test");
                assertThat(pod.at("/metadata/annotations/unhooked.helm.sh~1hook-delete-policy")
                                .asText())
                        .isEqualTo("before-hook-creation,hook-succeeded");
                assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
                assertThat(pod.at("/spec/automountServiceAccountToken").asBoolean(true))
                        .isFalse();
                assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/scriptforge/scriptforge-runner:0.1.0");
                assertThat(texts(container.at("/command")))
                        .startsWith("java")
                        .containsSequence("-cp", "/deployments/app/*", "io.scriptforge.runner.tools.ChartProbe");
                assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean())
                        .isTrue();
                assertThat(container
                                .at("/securityContext/readOnlyRootFilesystem")
                                .asBoolean())
                        .isTrue();
                assertThat(container
                                .at("/securityContext/allowPrivilegeEscalation")
                                .asBoolean())
                        .isFalse();
                assertThat(texts(container.at("/securityContext/capabilities/drop")))
                        .containsExactly("ALL");
                assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("50m");
                assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("160Mi");
            }
        }

        @Test
        void clusterRoleGrantsExactlyWhatTheOperatorNeeds() {
            JsonNode role = rendered.one("ClusterRole", "scriptforge");
            String crud = "[create, delete, get, list, patch, update, watch]";

            assertThat(permissions(role))
                    .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                            Map.entry("scriptforge.io/scripts", "[get, list, watch]"),
                            Map.entry("scriptforge.io/apps", "[get, list, watch]"),
                            Map.entry("scriptforge.io/runnerpools", "[get, list, watch]"),
                            Map.entry("scriptforge.io/scripts/status", "[get, patch, update]"),
                            Map.entry("scriptforge.io/apps/status", "[get, patch, update]"),
                            Map.entry("scriptforge.io/runnerpools/status", "[get, patch, update]"),
                            Map.entry("scriptforge.io/scripts/finalizers", "[update]"),
                            Map.entry("scriptforge.io/apps/finalizers", "[update]"),
                            Map.entry("scriptforge.io/runnerpools/finalizers", "[update]"),
                            Map.entry("apps/deployments", crud),
                            Map.entry("/services", crud),
                            Map.entry("/serviceaccounts", crud),
                            Map.entry("autoscaling/horizontalpodautoscalers", crud),
                            Map.entry("policy/poddisruptionbudgets", crud),
                            Map.entry("rbac.authorization.k8s.io/roles", crud),
                            Map.entry("rbac.authorization.k8s.io/rolebindings", crud),
                            // Only so that it may grant a pool's runners get on the Secret and ConfigMap an App names:
                            // never list.
                            Map.entry("/secrets", "[get]"),
                            Map.entry("/configmaps", "[get]"),
                            Map.entry("/events", "[create, patch]"),
                            Map.entry("events.k8s.io/events", "[create, patch]")));
            assertThat(role.toString()).doesNotContain("\"pods\"", "customresourcedefinitions", "\"*\"");
        }

        @Test
        void viewersReadAndEditorsAlsoCancelAndEnqueueThroughTheControlApi() {
            JsonNode view = rendered.one("ClusterRole", "scriptforge-view");
            JsonNode edit = rendered.one("ClusterRole", "scriptforge-edit");

            assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view")
                            .asText())
                    .isEqualTo("true");
            assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit")
                            .asText())
                    .isEqualTo("true");
            assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view")
                            .isMissingNode())
                    .isTrue();
            assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit")
                            .asText())
                    .isEqualTo("true");
            assertThat(permissions(view))
                    .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                            Map.entry("scriptforge.io/scripts", "[get, list, watch]"),
                            Map.entry("scriptforge.io/apps", "[get, list, watch]"),
                            Map.entry("scriptforge.io/runnerpools", "[get, list, watch]"),
                            Map.entry("scriptforge.io/scripts/logs", "[get]"),
                            Map.entry("scriptforge.io/scripts/invocations", "[list]"),
                            Map.entry("scriptforge.io/scripts/schedules", "[list]"),
                            Map.entry("scriptforge.io/scripts/jobs", "[get, list]")));
            assertThat(permissions(edit))
                    .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                            Map.entry("scriptforge.io/scripts", "[create, delete, patch, update]"),
                            Map.entry("scriptforge.io/apps", "[create, delete, patch, update]"),
                            Map.entry("scriptforge.io/runnerpools", "[create, delete, patch, update]"),
                            Map.entry("scriptforge.io/scripts/invocations", "[delete]"),
                            Map.entry("scriptforge.io/scripts/jobs", "[create, delete]")));
        }

        @Test
        void clusterRoleIsBoundToTheOperatorServiceAccount() {
            JsonNode binding = rendered.one("ClusterRoleBinding", "scriptforge");

            assertThat(binding.at("/roleRef/name").asText()).isEqualTo("scriptforge");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("scriptforge");
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
        }

        @Test
        void defaultRunnerPoolLivesInTheReleaseNamespaceWithTheDocumentedDefaults() {
            JsonNode pool = rendered.one("RunnerPool", "default");

            assertThat(pool.at("/apiVersion").asText()).isEqualTo("scriptforge.io/v1alpha1");
            assertThat(pool.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
            JsonNode spec = pool.at("/spec");
            assertThat(spec.at("/minReplicas").isInt()).isTrue();
            assertThat(spec.at("/minReplicas").asInt()).isEqualTo(1);
            assertThat(spec.at("/maxReplicas").asInt()).isEqualTo(3);
            assertThat(spec.at("/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
            assertThat(spec.at("/resources/requests/cpu").asText()).isEqualTo("250m");
            assertThat(spec.at("/sandbox").properties())
                    .extracting(Map.Entry::getKey)
                    .containsExactlyInAnyOrder("defaultTimeout", "maxTimeout", "memoryBudget", "workerMemoryBudget");
            assertThat(spec.at("/sandbox/defaultTimeout").asText()).isEqualTo("30s");
            assertThat(spec.at("/sandbox/maxTimeout").asText()).isEqualTo("15m");
            assertThat(spec.at("/sandbox/memoryBudget").asText()).isEqualTo("512Mi");
            assertThat(spec.at("/sandbox/workerMemoryBudget").asText()).isEqualTo("256Mi");
            assertThat(spec.has("image")).as("image is written only when set").isFalse();
            assertThat(spec.has("scaleUpStabilization") || spec.has("scaleDownStabilization"))
                    .as("no window set: Kubernetes' defaults")
                    .isFalse();
        }

        @Test
        void databaseSecretPointsAtTheBundledPostgresqlWithAGeneratedPassword() {
            Map<String, String> secret = decoded(rendered.one("Secret", "scriptforge-database"));

            assertThat(secret)
                    .containsEntry("url", "jdbc:postgresql://scriptforge-postgresql.scriptforge.svc:5432/scriptforge")
                    .containsEntry("username", "scriptforge");
            assertThat(secret.get("password")).matches("[A-Za-z0-9]{24}");
            assertThat(rendered.one("Secret", "scriptforge-database")
                            .at("/metadata/annotations/helm.sh~1resource-policy")
                            .asText())
                    .as("kept on uninstall, like the data volume")
                    .isEqualTo("keep");
        }

        @Test
        void bundledPostgresqlRunsAsUser999OnAPersistentVolumeBehindAHeadlessService() {
            JsonNode statefulSet = rendered.one("StatefulSet", "scriptforge-postgresql");
            JsonNode pod = statefulSet.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            JsonNode service = rendered.one("Service", "scriptforge-postgresql");

            assertThat(container.at("/image").asText()).isEqualTo("postgres:17");
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(999);
            assertThat(pod.at("/securityContext/fsGroup").asInt()).isEqualTo(999);
            assertThat(container.at("/readinessProbe/exec/command/0").asText()).isEqualTo("pg_isready");
            assertThat(container.at("/livenessProbe/exec/command/0").asText()).isEqualTo("pg_isready");
            assertThat(env(container)).containsEntry("POSTGRES_DB", "scriptforge");
            assertThat(statefulSet
                            .at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage")
                            .asText())
                    .isEqualTo("8Gi");
            assertThat(statefulSet.at("/spec/serviceName").asText()).isEqualTo("scriptforge-postgresql");
            assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("None");
            assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(5432);
        }
    }

    @Test
    void upgradeKeepsThePasswordGeneratedAtInstall() {
        cluster.putSecret(
                NAMESPACE,
                "scriptforge-database",
                Map.of(
                        "url", "jdbc:postgresql://scriptforge-postgresql.scriptforge.svc:5432/scriptforge",
                        "username", "scriptforge",
                        "password", "generatedAtInstall0123456"));

        Rendered rendered = render(template -> template);

        assertThat(decoded(rendered.one("Secret", "scriptforge-database")))
                .containsEntry("password", "generatedAtInstall0123456");
    }

    @Test
    void givenPasswordWinsOverTheGeneratedOne() {
        Rendered rendered = render(template -> template.set("postgresql.auth.password", "chosen-by-gitops"));

        assertThat(decoded(rendered.one("Secret", "scriptforge-database")))
                .containsEntry("password", "chosen-by-gitops");
    }

    @Test
    void externalDatabaseRendersNoPostgresqlAndItsUrlGoesIntoTheSecret() {
        String url = "jdbc:postgresql://db.example.com:5432/forge";
        Rendered rendered = render(template -> template.set("postgresql.bundled", false)
                .set("postgresql.external.url", url)
                .set("postgresql.external.username", "forge")
                .set("postgresql.external.password", "s3cret"));

        assertThat(rendered.kinds()).doesNotContain("StatefulSet");
        assertThat(rendered.kindsAndNames()).doesNotContain("Service/scriptforge-postgresql");
        JsonNode secret = rendered.one("Secret", "scriptforge-database");
        assertThat(decoded(secret))
                .containsExactlyInAnyOrderEntriesOf(Map.of("url", url, "username", "forge", "password", "s3cret"));
        assertThat(secret.at("/metadata/annotations").isMissingNode())
                .as("deleted on uninstall")
                .isTrue();
    }

    @Test
    void externalDatabaseFromAnExistingSecretRendersNoSecretAndTheOperatorIsToldItsName() {
        Rendered rendered = render(template ->
                template.set("postgresql.bundled", false).set("postgresql.external.existingSecret", "my-db"));

        assertThat(rendered.kinds()).doesNotContain("Secret", "StatefulSet");
        assertThat(env(operatorContainer(rendered.one("Deployment", "scriptforge"))))
                .containsEntry("SCRIPTFORGE_OPERATOR_DATABASE_SECRET", "my-db");
    }

    @Test
    void withoutBundledPostgresqlAnExternalDatabaseIsRequired() {
        assertThatThrownBy(() -> render(template -> template.set("postgresql.bundled", false)))
                .hasMessageContaining("/postgresql/external");
    }

    @Test
    void schemaRefusesANonIntegerMaxReplicasAndNamesTheField() {
        assertThatThrownBy(() -> render(template -> template.set("defaultPool.maxReplicas", "many")))
                .hasMessageContaining("/defaultPool/maxReplicas")
                .hasMessageContaining("integer");
    }

    @Test
    void schemaRefusesAnUnknownTopLevelKeyAndNamesIt() {
        assertThatThrownBy(() -> render(template -> template.set("replicaCount", 2)))
                .hasMessageContaining("replicaCount");
    }

    @Test
    void schemaRefusesAnUnknownPullPolicy() {
        assertThatThrownBy(() -> render(template -> template.set("runner.image.pullPolicy", "Sometimes")))
                .hasMessageContaining("/runner/image/pullPolicy");
    }

    @Test
    void disabledDefaultPoolRendersNoRunnerPool() {
        Rendered rendered = render(template -> template.set("defaultPool.enabled", false));

        assertThat(rendered.kinds()).doesNotContain("RunnerPool").contains("Deployment");
    }

    @Test
    void poolRendersOnlyTheSandboxFieldsTheUserSets() {
        Rendered rendered = render(template -> template.set("defaultPool.name", "edge")
                .set("defaultPool.sandbox.jsThreads", 4)
                .set("defaultPool.sandbox.jsThreadsPerScript", 1)
                .set("defaultPool.sandbox.memoryBudget", "null")
                .set("defaultPool.sandbox.workerMemoryBudget", "null"));

        JsonNode spec = rendered.one("RunnerPool", "edge").at("/spec");
        assertThat(spec.has("image"))
                .as("the runner image is the chart's, never a pool's")
                .isFalse();
        assertThat(spec.at("/sandbox/jsThreads").isInt()).isTrue();
        assertThat(spec.at("/sandbox/jsThreads").asInt()).isEqualTo(4);
        assertThat(spec.at("/sandbox/jsThreadsPerScript").isInt()).isTrue();
        assertThat(spec.at("/sandbox/jsThreadsPerScript").asInt()).isEqualTo(1);
        assertThat(spec.at("/sandbox").properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("defaultTimeout", "maxTimeout", "jsThreads", "jsThreadsPerScript");
    }

    @Test
    void poolRendersItsEgressPolicyOnlyWhenOneIsSet() {
        Rendered rendered = render(template -> template.set("defaultPool.egress.allowHosts[0]", "api.stripe.com")
                .set("defaultPool.egress.allowHosts[1]", "*.example.org")
                .set("defaultPool.egress.allowCidrs[0]", "10.20.0.0/16"));

        JsonNode egress = rendered.one("RunnerPool", "default").at("/spec/egress");
        assertThat(egress.at("/allowHosts").toString()).isEqualTo("[\"api.stripe.com\",\"*.example.org\"]");
        assertThat(egress.at("/allowCidrs").toString()).isEqualTo("[\"10.20.0.0/16\"]");
        assertThat(render(template -> template)
                        .one("RunnerPool", "default")
                        .at("/spec")
                        .has("egress"))
                .as("no egress settings: the pool's default policy")
                .isFalse();
    }

    @Test
    void poolRendersTheStabilizationWindowsItIsGiven() {
        JsonNode spec = render(template -> template.set("defaultPool.scaleUpStabilization", "0s")
                        .set("defaultPool.scaleDownStabilization", "30s"))
                .one("RunnerPool", "default")
                .at("/spec");

        assertThat(spec.at("/scaleUpStabilization").asText()).isEqualTo("0s");
        assertThat(spec.at("/scaleDownStabilization").asText()).isEqualTo("30s");
    }

    @Test
    void schemaRefusesAStabilizationWindowInMillisecondsAndNamesTheField() {
        assertThatThrownBy(() -> render(template -> template.set("defaultPool.scaleDownStabilization", "500ms")))
                .hasMessageContaining("/defaultPool/scaleDownStabilization");
    }

    @Test
    void operatorReplicasAreTheValueGiven() {
        JsonNode deployment =
                render(template -> template.set("operator.replicas", 2)).one("Deployment", "scriptforge");

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void withoutRbacNoLeaseRoleIsRendered() {
        Rendered rendered =
                render(template -> template.set("rbac.create", false).set("rbac.userRoles", false));

        assertThat(rendered.kinds()).doesNotContain("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
    }

    @Test
    void aLocallyBuiltPostgresqlImageIsUsedAsGivenWithItsOwnEntrypoint() {
        JsonNode container = render(
                        template -> template.set("postgresql.image.repository", "localhost/scriptforge/postgresql")
                                .set("postgresql.image.tag", "15")
                                .set("postgresql.image.pullPolicy", "Never"))
                .one("StatefulSet", "scriptforge-postgresql")
                .at("/spec/template/spec/containers/0");

        assertThat(container.at("/image").asText()).isEqualTo("localhost/scriptforge/postgresql:15");
        assertThat(container.at("/imagePullPolicy").asText()).isEqualTo("Never");
        // What any image honouring the postgres image's contract needs: its entrypoint, POSTGRES_*, PGDATA, pg_isready
        // on PATH.
        assertThat(container.has("command") || container.has("args")).isFalse();
        assertThat(env(container).keySet())
                .containsExactlyInAnyOrder("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "PGDATA");
        assertThat(container.at("/readinessProbe/exec/command/0").asText()).isEqualTo("pg_isready");
    }

    @Test
    void withoutTheDefaultPoolThereIsNothingForHelmTestToProbe() {
        assertThat(render(template -> template.set("defaultPool.enabled", false))
                        .kinds())
                .doesNotContain("Pod");
    }

    @Test
    void watchNamespacesAreJoinedWithCommas() {
        Rendered rendered = render(template ->
                template.set("operator.watchNamespaces[0]", "team-a").set("operator.watchNamespaces[1]", "team-b"));

        assertThat(env(operatorContainer(rendered.one("Deployment", "scriptforge"))))
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b");
    }

    @Test
    void notesTellHowToApplyTheExamplesAndInvokeAScript() {
        String output = new Helm(CHART)
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .clientOnly()
                .call()
                .getOutput();

        assertThat(output)
                .contains(
                        "kubectl apply -n scriptforge -f examples/",
                        "kubectl wait --for=condition=Ready script/hello -n scriptforge",
                        "kubectl -n scriptforge get scripts",
                        "kubectl -n scriptforge port-forward svc/scriptforge-runner-default 8080:80",
                        "curl -s http://127.0.0.1:8080/v1/invoke/<uuid>");
    }

    private static Rendered render(UnaryOperator<TemplateCommand> values) {
        TemplateCommand template = new Helm(UNHOOKED)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        return new Rendered(parse(values.apply(template).call()));
    }

    private static List<JsonNode> parse(String manifests) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents =
                YAML.readerFor(JsonNode.class).readValues(manifests)) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && document.has("kind")) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template output is not YAML:\n" + manifests, e);
        }
        return objects;
    }

    private record Rendered(List<JsonNode> objects) {

        List<String> kinds() {
            return objects.stream().map(object -> object.path("kind").asText()).toList();
        }

        List<String> kindsAndNames() {
            return objects.stream().map(HelmChartTest::kindAndName).toList();
        }

        JsonNode one(String kind, String name) {
            return objects.stream()
                    .filter(object -> kindAndName(object).equals(kind + "/" + name))
                    .reduce((a, b) -> {
                        throw new AssertionError("two " + kind + "/" + name);
                    })
                    .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " among " + kindsAndNames()));
        }
    }

    private static String kindAndName(JsonNode object) {
        return object.path("kind").asText() + "/" + object.at("/metadata/name").asText();
    }

    private static JsonNode operatorContainer(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        container
                .path("env")
                .forEach(variable -> env.put(
                        variable.path("name").asText(), variable.path("value").asText()));
        return env;
    }

    /** The env variables taken from the downward API, with their field paths. */
    private static Map<String, String> fieldRefs(JsonNode container) {
        Map<String, String> refs = new TreeMap<>();
        container.path("env").forEach(variable -> {
            JsonNode path = variable.at("/valueFrom/fieldRef/fieldPath");
            if (!path.isMissingNode()) {
                refs.put(variable.path("name").asText(), path.asText());
            }
        });
        return refs;
    }

    private static Map<String, String> decoded(JsonNode secret) {
        Map<String, String> data = new TreeMap<>();
        secret.path("data")
                .properties()
                .forEach(entry -> data.put(
                        entry.getKey(),
                        new String(Base64.getDecoder().decode(entry.getValue().asText()))));
        return data;
    }

    /** Every (apiGroup/resource) the role names, with its verbs sorted, e.g. {@code apps/deployments -> [get, list]}. */
    private static Map<String, String> permissions(JsonNode role) {
        Map<String, String> permissions = new TreeMap<>();
        for (JsonNode rule : role.path("rules")) {
            List<String> verbs = new ArrayList<>(texts(rule.path("verbs")));
            verbs.sort(null);
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    String key = group + "/" + resource;
                    assertThat(permissions)
                            .as("%s is granted by one rule only", key)
                            .doesNotContainKey(key);
                    permissions.put(key, verbs.toString());
                }
            }
        }
        return permissions;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
