package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.RunnerPoolStatus;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.operator.status.StatusPatch;
import java.time.Clock;

/** RunnerPool: its owned objects come from the workflow's dependents; this only reports how the runners are doing. */
@ControllerConfiguration(name = "runnerpool")
// The API server checks a RoleBinding against its Role (no privilege escalation), so the Role comes first;
// pods start only once their identity and its rights exist.
@Workflow(
        dependents = {
            @Dependent(name = "serviceaccount", type = RunnerServiceAccountDependent.class),
            @Dependent(name = "role", type = RunnerRoleDependent.class),
            @Dependent(
                    name = "rolebinding",
                    type = RunnerRoleBindingDependent.class,
                    dependsOn = {"serviceaccount", "role"}),
            @Dependent(name = "deployment", type = RunnerDeploymentDependent.class, dependsOn = "rolebinding"),
            @Dependent(name = "service", type = RunnerServiceDependent.class),
            @Dependent(name = "autoscaler", type = RunnerAutoscalerDependent.class, dependsOn = "deployment"),
            @Dependent(name = "disruptionbudget", type = RunnerDisruptionBudgetDependent.class)
        })
public class RunnerPoolReconciler implements Reconciler<RunnerPool> {
    private final Conditions conditions = new Conditions(Clock.systemUTC());

    @Override
    public UpdateControl<RunnerPool> reconcile(RunnerPool pool, Context<RunnerPool> context) {
        DeploymentStatus observed = context.getSecondaryResource(Deployment.class)
                .map(Deployment::getStatus)
                .orElse(null);
        return StatusPatch.of(pool, status(pool, observed), RunnerPool::new);
    }

    /** A failed dependent (quota, admission, RBAC) shows on the pool, instead of a stale or missing status. */
    @Override
    public ErrorStatusUpdateControl<RunnerPool> updateErrorStatus(
            RunnerPool pool, Context<RunnerPool> context, Exception e) {
        RunnerPoolStatus status = new RunnerPoolStatus();
        if (pool.getStatus() != null) {
            status.setReplicas(pool.getStatus().getReplicas());
            status.setReadyReplicas(pool.getStatus().getReadyReplicas());
            status.setService(pool.getStatus().getService());
        }
        conditions
                .of(pool.getStatus(), status, generation(pool))
                .markNotReady("ReconcileFailed", "could not apply the pool's objects (retrying): " + e.getMessage());
        UpdateControl<RunnerPool> patch = StatusPatch.of(pool, status, RunnerPool::new);
        return patch.getResource()
                .map(ErrorStatusUpdateControl::patchStatus)
                .orElseGet(ErrorStatusUpdateControl::defaultErrorProcessing);
    }

    RunnerPoolStatus status(RunnerPool pool, DeploymentStatus deployment) {
        int replicas = deployment == null || deployment.getReplicas() == null ? 0 : deployment.getReplicas();
        int ready = deployment == null || deployment.getReadyReplicas() == null ? 0 : deployment.getReadyReplicas();
        int wanted = pool.getSpec().minReplicasOrDefault();
        RunnerPoolStatus status = new RunnerPoolStatus();
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setService(RunnerPoolNames.objectName(pool));
        String counted = ready + " of at least " + wanted + " runner pods ready";
        Conditions.Marks marks = conditions.of(pool.getStatus(), status, generation(pool));
        if (ready >= wanted) {
            marks.markReady("RunnersReady", counted);
        } else {
            marks.markNotReady("RunnersStarting", counted);
        }
        return status;
    }

    private static long generation(RunnerPool pool) {
        return pool.getMetadata().getGeneration() == null
                ? 0
                : pool.getMetadata().getGeneration();
    }
}
