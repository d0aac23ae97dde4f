package io.scriptforge.operator.pool;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.OperatorConfig;
import io.scriptforge.operator.pool.resources.RunnerDeployment;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;
import io.scriptforge.operator.pool.resources.RunnerSettings;
import jakarta.inject.Inject;

/** The pool's runner Deployment, kept as {@link RunnerDeployment} builds it. */
@KubernetesDependent(informer = @Informer(labelSelector = RunnerPoolNames.MANAGED_SELECTOR))
public class RunnerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, RunnerPool> {
    @Inject
    OperatorConfig config;

    public RunnerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(RunnerPool pool, Context<RunnerPool> context) {
        return RunnerDeployment.desired(
                pool,
                new RunnerSettings(config.runnerImage(), config.runnerImagePullPolicy(), config.databaseSecret()));
    }
}
