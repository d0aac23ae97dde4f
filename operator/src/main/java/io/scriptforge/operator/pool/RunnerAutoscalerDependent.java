package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerAutoscaler;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;

/** The pool's HorizontalPodAutoscaler, kept as {@link RunnerAutoscaler} builds it. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerAutoscalerDependent extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, RunnerPool> {
    public RunnerAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerAutoscaler.desired(pool);
    }
}
