package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.scriptforge.crd.DurationString;
import io.scriptforge.crd.EgressSpec;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.RunnerPoolSpec;
import io.scriptforge.crd.SandboxDefaults;
import java.util.ArrayList;
import java.util.List;

/** The runner Deployment of a pool: a pure function of the pool and the operator's settings. */
public final class RunnerDeployment {
    /** Requests the autoscaler's CPU target is a percentage of, when the pool sets none. */
    static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("500m"))
            .addToRequests("memory", new Quantity("768Mi"))
            .addToLimits("memory", new Quantity("1536Mi"))
            .build();

    private RunnerDeployment() {}

    public static Deployment desired(RunnerPool pool, RunnerSettings settings) {
        String name = RunnerPoolNames.objectName(pool);
        // No replicas: the HorizontalPodAutoscaler owns that field, and the operator must not fight it.
        return new DeploymentBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                .withMinReadySeconds(RunnerLifecycle.MIN_READY_SECONDS)
                .withNewSelector()
                .withMatchLabels(RunnerPoolNames.selector(pool))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withNewMaxUnavailable(0)
                .withNewMaxSurge(1)
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(RunnerPoolNames.labels(pool))
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(name)
                .withTerminationGracePeriodSeconds(RunnerLifecycle.TERMINATION_GRACE_SECONDS)
                .withAutomountServiceAccountToken(true)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(pool, settings))
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(RunnerPool pool, RunnerSettings settings) {
        RunnerPoolSpec spec = pool.getSpec();
        // The image is the operator's (the chart's) choice, never a pool's: whoever may edit a RunnerPool must not
        // pick what runs with the pool's identity and database settings.
        return new ContainerBuilder()
                .withName(RunnerPoolNames.CONTAINER)
                .withImage(settings.image())
                .withImagePullPolicy(settings.imagePullPolicy())
                .addNewPort()
                .withName(RunnerPoolNames.HTTP_PORT_NAME)
                .withContainerPort(RunnerPoolNames.HTTP_PORT)
                .withProtocol("TCP")
                .endPort()
                .withEnv(env(pool, settings))
                .withResources(spec.getResources() != null ? spec.getResources() : DEFAULT_RESOURCES)
                .withStartupProbe(RunnerLifecycle.startup())
                .withReadinessProbe(RunnerLifecycle.readiness())
                .withLivenessProbe(RunnerLifecycle.liveness())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .build();
    }

    private static List<EnvVar> env(RunnerPool pool, RunnerSettings settings) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SCRIPTFORGE_KUBERNETES_ENABLED", "true", null));
        env.add(new EnvVar("SCRIPTFORGE_KUBERNETES_POOL", pool.getMetadata().getName(), null));
        env.add(new EnvVarBuilder()
                .withName("SCRIPTFORGE_KUBERNETES_NAMESPACE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .build());
        SandboxDefaults sandbox = pool.getSpec().getSandbox();
        if (sandbox != null) {
            addIfSet(env, "SCRIPTFORGE_DEFAULT_TIMEOUT", iso(sandbox.getDefaultTimeout()));
            addIfSet(env, "SCRIPTFORGE_MAX_TIMEOUT", iso(sandbox.getMaxTimeout()));
            addIfSet(env, "SCRIPTFORGE_JS_THREADS", text(sandbox.getJsThreads()));
            addIfSet(env, "SCRIPTFORGE_JS_THREADS_PER_SCRIPT", text(sandbox.getJsThreadsPerScript()));
            addIfSet(env, "SCRIPTFORGE_JS_THREADS_PER_NAMESPACE", text(sandbox.getJsThreadsPerNamespace()));
            addIfSet(env, "SCRIPTFORGE_MEMORY_BUDGET_BYTES", bytes(sandbox.getMemoryBudget()));
            addIfSet(env, "SCRIPTFORGE_WORKER_MEMORY_BUDGET_BYTES", bytes(sandbox.getWorkerMemoryBudget()));
        }
        EgressSpec egress = pool.getSpec().getEgress();
        if (egress != null) {
            // SmallRye reads a list setting from one comma-separated value (scriptforge.egress.allow-hosts).
            addIfSet(
                    env,
                    "SCRIPTFORGE_EGRESS_ALLOW_HOSTS",
                    egress.getAllowHosts() == null ? null : String.join(",", egress.getAllowHosts()));
            addIfSet(
                    env,
                    "SCRIPTFORGE_EGRESS_ALLOW_CIDRS",
                    egress.getAllowCidrs() == null ? null : String.join(",", egress.getAllowCidrs()));
        }
        settings.databaseSecret().ifPresent(secret -> {
            for (String key : List.of("url", "username", "password")) {
                env.add(new EnvVarBuilder()
                        .withName("SCRIPTFORGE_DATABASE_" + key.toUpperCase(java.util.Locale.ROOT))
                        .withNewValueFrom()
                        .withNewSecretKeyRef(key, secret, true)
                        .endValueFrom()
                        .build());
            }
        });
        return env;
    }

    private static void addIfSet(List<EnvVar> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.add(new EnvVar(name, value, null));
        }
    }

    /** "1m30s" as the runner's configuration reads durations: ISO-8601 (PT1M30S). */
    private static String iso(String duration) {
        return duration == null ? null : DurationString.parse(duration).toString();
    }

    private static String text(Integer number) {
        return number == null ? null : number.toString();
    }

    private static String bytes(String quantity) {
        return quantity == null
                ? null
                : Quantity.getAmountInBytes(new Quantity(quantity))
                        .toBigInteger()
                        .toString();
    }
}
