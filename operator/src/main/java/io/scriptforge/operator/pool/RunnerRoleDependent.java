package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.resources.RunnerAccess;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;

/** What the pool's runners may do: read the Scripts and Apps of their namespace. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerRoleDependent extends CRUDKubernetesDependentResource<Role, RunnerPool> {
    public RunnerRoleDependent() {
        super(Role.class);
    }

    @Override
    protected Role desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerAccess.role(pool);
    }
}
