package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** What a user declares of a RunnerPool: replicas, autoscaling, resources and sandbox defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@ValidationRule(
        value = "self.minReplicas <= self.maxReplicas",
        message = "spec.minReplicas must not exceed spec.maxReplicas",
        fieldPath = ".minReplicas")
// The HorizontalPodAutoscaler refuses windows over an hour: say so at apply time, naming the field, rather than
// leave the pool failing to reconcile.
@ValidationRule(
        value = "!has(self.scaleUpStabilization) || duration(self.scaleUpStabilization) <= duration('"
                + RunnerPoolSpec.MAX_STABILIZATION + "')",
        message = "spec.scaleUpStabilization: at most " + RunnerPoolSpec.MAX_STABILIZATION
                + " (the autoscaler's limit), e.g. 0s or 30s",
        fieldPath = ".scaleUpStabilization")
@ValidationRule(
        value = "!has(self.scaleDownStabilization) || duration(self.scaleDownStabilization) <= duration('"
                + RunnerPoolSpec.MAX_STABILIZATION + "')",
        message = "spec.scaleDownStabilization: at most " + RunnerPoolSpec.MAX_STABILIZATION
                + " (the autoscaler's limit), e.g. 30s or 5m",
        fieldPath = ".scaleDownStabilization")
public class RunnerPoolSpec implements KubernetesResource {
    public static final int DEFAULT_MIN_REPLICAS = 1;
    public static final int DEFAULT_MAX_REPLICAS = 3;
    public static final int DEFAULT_TARGET_CPU = 70;
    /** The longest stabilization window autoscaling/v2 accepts (3600 seconds). */
    public static final String MAX_STABILIZATION = "1h";

    @Min(1)
    @Max(1000)
    @Default("1")
    private Integer minReplicas = DEFAULT_MIN_REPLICAS;

    @Min(1)
    @Max(1000)
    @Default("3")
    private Integer maxReplicas = DEFAULT_MAX_REPLICAS;

    @Min(1)
    @Max(100)
    @Default("70")
    private Integer targetCPUUtilizationPercentage = DEFAULT_TARGET_CPU;

    @Pattern(DurationString.SECONDS_PATTERN)
    @Size(max = 16)
    private String scaleUpStabilization;

    @Pattern(DurationString.SECONDS_PATTERN)
    @Size(max = 16)
    private String scaleDownStabilization;

    private ResourceRequirements resources;
    private SandboxDefaults sandbox;
    private EgressSpec egress;

    /** Fewest runner pods; the autoscaler never goes below. */
    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }
    /** Most runner pods the autoscaler may run. */
    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }
    /** Average CPU use, in percent of the request, the autoscaler aims for. */
    public Integer getTargetCPUUtilizationPercentage() {
        return targetCPUUtilizationPercentage;
    }

    public void setTargetCPUUtilizationPercentage(Integer target) {
        this.targetCPUUtilizationPercentage = target;
    }
    /**
     * How long the autoscaler looks back before it scales up: it adds runners only if every recommendation in the
     * window asked for more (whole seconds: 0s, 30s, 1m; at most 1h). Unset: Kubernetes' default, 0s.
     */
    public String getScaleUpStabilization() {
        return scaleUpStabilization;
    }

    public void setScaleUpStabilization(String scaleUpStabilization) {
        this.scaleUpStabilization = scaleUpStabilization;
    }
    /**
     * How long the load must stay low before the autoscaler removes runners: it takes the highest recommendation
     * of the window (whole seconds: 30s, 2m; at most 1h). Unset: Kubernetes' default, 5m.
     */
    public String getScaleDownStabilization() {
        return scaleDownStabilization;
    }

    public void setScaleDownStabilization(String scaleDownStabilization) {
        this.scaleDownStabilization = scaleDownStabilization;
    }
    /** CPU and memory of each runner container. */
    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
    /** Limits every sandbox of the pool gets unless a Script says otherwise. */
    public SandboxDefaults getSandbox() {
        return sandbox;
    }

    public void setSandbox(SandboxDefaults sandbox) {
        this.sandbox = sandbox;
    }
    /** Where the pool's Scripts may send HTTP requests; unset: public addresses only. */
    public EgressSpec getEgress() {
        return egress;
    }

    public void setEgress(EgressSpec egress) {
        this.egress = egress;
    }

    public int minReplicasOrDefault() {
        return minReplicas == null ? DEFAULT_MIN_REPLICAS : minReplicas;
    }

    public int maxReplicasOrDefault() {
        return maxReplicas == null ? DEFAULT_MAX_REPLICAS : maxReplicas;
    }

    public int targetCpuOrDefault() {
        return targetCPUUtilizationPercentage == null ? DEFAULT_TARGET_CPU : targetCPUUtilizationPercentage;
    }
}
