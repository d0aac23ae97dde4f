package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.operator.pool.RunnerPoolNames;

/** Scales a pool's runners between its min and max on average CPU use (autoscaling/v2). */
public final class RunnerAutoscaler {
    private RunnerAutoscaler() {
    }

    public static HorizontalPodAutoscaler desired(RunnerPool pool) {
        String name = RunnerPoolNames.objectName(pool);
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name).endScaleTargetRef()
                    .withMinReplicas(pool.getSpec().minReplicasOrDefault())
                    .withMaxReplicas(pool.getSpec().maxReplicasOrDefault())
                    .addNewMetric()
                        .withType("Resource")
                        .withNewResource()
                            .withName("cpu")
                            .withNewTarget().withType("Utilization").withAverageUtilization(pool.getSpec().targetCpuOrDefault()).endTarget()
                        .endResource()
                    .endMetric()
                .endSpec()
                .build();
    }
}
