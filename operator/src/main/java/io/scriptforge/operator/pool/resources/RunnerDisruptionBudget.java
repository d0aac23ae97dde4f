package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.RunnerPoolNames;

/** Lets a node drain take one runner of a pool at a time (with one replica, that one: a drain must not hang). */
public final class RunnerDisruptionBudget {
    private RunnerDisruptionBudget() {
    }

    public static PodDisruptionBudget desired(RunnerPool pool) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(RunnerPoolNames.selector(pool)).endSelector()
                .endSpec()
                .build();
    }
}
