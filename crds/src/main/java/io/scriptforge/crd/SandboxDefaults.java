package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/** Sandbox limits of a pool's runners; each maps to one runner setting (scriptforge.*). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class SandboxDefaults implements KubernetesResource {
    /** A Kubernetes quantity in bytes: 512Mi, 1Gi, 1000000. */
    public static final String BYTES_PATTERN = "^[0-9]+(Ki|Mi|Gi|k|M|G)?$";

    @Pattern(DurationString.PATTERN)
    private String defaultTimeout;

    @Pattern(DurationString.PATTERN)
    private String maxTimeout;

    @Min(1)
    @Max(256)
    private Integer jsThreads;

    @Min(1)
    @Max(256)
    private Integer jsThreadsPerScript;

    @Min(1)
    @Max(256)
    private Integer jsThreadsPerNamespace;

    @Pattern(BYTES_PATTERN)
    private String memoryBudget;

    @Pattern(BYTES_PATTERN)
    private String workerMemoryBudget;

    /** Timeout of a Script that declares none (scriptforge.default-timeout). */
    public String getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(String defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }
    /** Longest timeout a Script may declare (scriptforge.max-timeout). */
    public String getMaxTimeout() {
        return maxTimeout;
    }

    public void setMaxTimeout(String maxTimeout) {
        this.maxTimeout = maxTimeout;
    }
    /** JavaScript threads per runner; default: its CPU count (scriptforge.js-threads). */
    public Integer getJsThreads() {
        return jsThreads;
    }

    public void setJsThreads(Integer jsThreads) {
        this.jsThreads = jsThreads;
    }
    /**
     * Most JavaScript threads one Script's invocations hold at once, so one Script's runaways never hold them all;
     * further invocations wait for a thread of its share. Default: half the threads, at least one
     * (scriptforge.js-threads-per-script).
     */
    public Integer getJsThreadsPerScript() {
        return jsThreadsPerScript;
    }

    public void setJsThreadsPerScript(Integer jsThreadsPerScript) {
        this.jsThreadsPerScript = jsThreadsPerScript;
    }
    /** The same for all the Scripts of one namespace, one tenant (scriptforge.js-threads-per-namespace). */
    public Integer getJsThreadsPerNamespace() {
        return jsThreadsPerNamespace;
    }

    public void setJsThreadsPerNamespace(Integer jsThreadsPerNamespace) {
        this.jsThreadsPerNamespace = jsThreadsPerNamespace;
    }
    /** Bytes one script or app invocation may allocate (scriptforge.memory-budget-bytes). */
    public String getMemoryBudget() {
        return memoryBudget;
    }

    public void setMemoryBudget(String memoryBudget) {
        this.memoryBudget = memoryBudget;
    }
    /** Bytes one worker invocation may allocate (scriptforge.worker-memory-budget-bytes). */
    public String getWorkerMemoryBudget() {
        return workerMemoryBudget;
    }

    public void setWorkerMemoryBudget(String workerMemoryBudget) {
        this.workerMemoryBudget = workerMemoryBudget;
    }
}
