package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerAccess;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;

/** Binds the runners' ServiceAccount to their Role. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerRoleBindingDependent extends CRUDKubernetesDependentResource<RoleBinding, RunnerPool> {
    public RunnerRoleBindingDependent() {
        super(RoleBinding.class);
    }

    @Override
    protected RoleBinding desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerAccess.roleBinding(pool);
    }
}
