package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerDisruptionBudget;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;

/** The pool's PodDisruptionBudget, kept as {@link RunnerDisruptionBudget} builds it. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, RunnerPool> {
    public RunnerDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerDisruptionBudget.desired(pool);
    }
}
