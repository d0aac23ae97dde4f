package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.scriptforge.crd.DurationString;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.RunnerPoolSpec;

/** Scales a pool's runners between its min and max on average CPU use (autoscaling/v2). */
public final class RunnerAutoscaler {
    private RunnerAutoscaler() {}

    public static HorizontalPodAutoscaler desired(RunnerPool pool) {
        String name = RunnerPoolNames.objectName(pool);
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(name)
                .endScaleTargetRef()
                .withMinReplicas(pool.getSpec().minReplicasOrDefault())
                .withMaxReplicas(pool.getSpec().maxReplicasOrDefault())
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(pool.getSpec().targetCpuOrDefault())
                .endTarget()
                .endResource()
                .endMetric()
                .withBehavior(behavior(pool.getSpec()))
                .endSpec()
                .build();
    }

    /**
     * Only the windows the pool sets; null when it sets none. The API server fills in the rest (policies, the
     * other direction's window) with Kubernetes' defaults, so an unset field keeps meaning "the default".
     */
    static HorizontalPodAutoscalerBehavior behavior(RunnerPoolSpec spec) {
        HPAScalingRules up = window(spec.getScaleUpStabilization());
        HPAScalingRules down = window(spec.getScaleDownStabilization());
        if (up == null && down == null) {
            return null;
        }
        HorizontalPodAutoscalerBehavior behavior = new HorizontalPodAutoscalerBehavior();
        behavior.setScaleUp(up);
        behavior.setScaleDown(down);
        return behavior;
    }

    private static HPAScalingRules window(String duration) {
        if (duration == null) {
            return null;
        }
        // The CRD's pattern has no ms unit and its rule caps the window at an hour: whole seconds that fit an int.
        return new HPAScalingRulesBuilder()
                .withStabilizationWindowSeconds(
                        (int) DurationString.parse(duration).toSeconds())
                .build();
    }
}
