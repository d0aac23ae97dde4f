package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerAccess;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;

/** The identity the pool's runners read Scripts with. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, RunnerPool> {
    public RunnerServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerAccess.serviceAccount(pool);
    }
}
