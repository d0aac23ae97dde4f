package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.scriptforge.crd.RunnerPool;

/**
 * Lets a node drain evict one runner of a pool at a time. {@code maxUnavailable: 1}, not {@code minAvailable}:
 * with one replica (minReplicas 1) a {@code minAvailable: 1} budget would refuse every eviction and hang every
 * drain and node upgrade; this one lets that runner go (a pool that must keep serving through a drain runs two).
 * Runners that are not Ready may always be evicted: a crash-looping one must not use up the budget.
 */
public final class RunnerDisruptionBudget {
    private RunnerDisruptionBudget() {}

    public static PodDisruptionBudget desired(RunnerPool pool) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .withNewSelector()
                .withMatchLabels(RunnerPoolNames.selector(pool))
                .endSelector()
                .endSpec()
                .build();
    }
}
