package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** What the operator observed of a Script: where to invoke it, and whether it can be. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class) // not KubernetesResource's polymorphic reader
public class ScriptStatus extends ResourceStatus {
    private String uuid;
    private String url;
    private String pool;
    private ScheduleStatus schedule;

    /** The UUID the script is invoked by. */
    public String getUuid() {
        return uuid;
    }

    public void setUuid(String uuid) {
        this.uuid = uuid;
    }
    /** The invocation URL inside the cluster (the pool's runner Service). */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }
    /** The RunnerPool serving it. */
    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }
    /** The last and next tick of spec.schedule, written by the runners. */
    public ScheduleStatus getSchedule() {
        return schedule;
    }

    public void setSchedule(ScheduleStatus schedule) {
        this.schedule = schedule;
    }
}
