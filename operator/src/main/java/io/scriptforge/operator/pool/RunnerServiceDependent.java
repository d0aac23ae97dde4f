package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;
import io.scriptforge.operator.pool.resources.RunnerService;

/** The pool's Service, kept as {@link RunnerService} builds it. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerServiceDependent extends CRUDKubernetesDependentResource<Service, RunnerPool> {
    public RunnerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerService.desired(pool);
    }
}
