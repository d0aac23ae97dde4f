package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.Script;

/**
 * The identity of a pool's runners and the least they need: to read the Scripts and Apps of their
 * namespace, to report whether they serve each App (its status.runtime), and to get (never list) the
 * Secrets and ConfigMaps those Apps name (password, httpfiles.zip).
 */
public final class RunnerAccess {
    private RunnerAccess() {}

    public static ServiceAccount serviceAccount(RunnerPool pool) {
        return new ServiceAccountBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .build();
    }

    public static Role role(RunnerPool pool) {
        return new RoleBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups(Script.GROUP)
                                .withResources("scripts", "apps")
                                .withVerbs("get", "list", "watch")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups(Script.GROUP)
                                .withResources("apps/status", "scripts/status")
                                .withVerbs("patch")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("secrets", "configmaps")
                                .withVerbs("get")
                                .build())
                .build();
    }

    public static RoleBinding roleBinding(RunnerPool pool) {
        String name = RunnerPoolNames.objectName(pool);
        return new RoleBindingBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(name)
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(pool.getMetadata().getNamespace())
                .endSubject()
                .build();
    }
}
