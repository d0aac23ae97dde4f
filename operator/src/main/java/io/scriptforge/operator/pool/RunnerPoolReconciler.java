package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.scriptforge.crd.ResourceStatus;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.RunnerPoolStatus;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.operator.status.StatusPatch;
import java.time.Clock;

/** RunnerPool: its owned objects come from the workflow's dependents; this only reports how the runners are doing. */
@ControllerConfiguration(name = "runnerpool")
@Workflow(dependents = {
        @Dependent(type = RunnerServiceAccountDependent.class),
        @Dependent(type = RunnerRoleDependent.class),
        @Dependent(type = RunnerRoleBindingDependent.class),
        @Dependent(type = RunnerDeploymentDependent.class),
        @Dependent(type = RunnerServiceDependent.class),
        @Dependent(type = RunnerAutoscalerDependent.class),
        @Dependent(type = RunnerDisruptionBudgetDependent.class)
})
public class RunnerPoolReconciler implements Reconciler<RunnerPool> {
    private final Conditions conditions = new Conditions(Clock.systemUTC());

    @Override
    public UpdateControl<RunnerPool> reconcile(RunnerPool pool, Context<RunnerPool> context) {
        DeploymentStatus observed = context.getSecondaryResource(Deployment.class).map(Deployment::getStatus).orElse(null);
        return StatusPatch.of(pool, status(pool, observed), RunnerPool::new);
    }

    RunnerPoolStatus status(RunnerPool pool, DeploymentStatus deployment) {
        int replicas = deployment == null || deployment.getReplicas() == null ? 0 : deployment.getReplicas();
        int ready = deployment == null || deployment.getReadyReplicas() == null ? 0 : deployment.getReadyReplicas();
        int wanted = pool.getSpec().minReplicasOrDefault();
        RunnerPoolStatus status = new RunnerPoolStatus();
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setService(RunnerPoolNames.objectName(pool));
        long generation = pool.getMetadata().getGeneration() == null ? 0 : pool.getMetadata().getGeneration();
        boolean isReady = ready >= wanted;
        conditions.set(pool.getStatus(), status, generation, ResourceStatus.READY, isReady,
                isReady ? "RunnersReady" : "RunnersStarting",
                ready + " of at least " + wanted + " runner pods ready");
        return status;
    }
}
