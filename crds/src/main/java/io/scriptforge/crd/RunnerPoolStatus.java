package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** What the operator observed of a RunnerPool's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class RunnerPoolStatus extends ResourceStatus {
    private Integer replicas;
    private Integer readyReplicas;
    private String service;

    /** Runner pods that exist. */
    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
    /** Runner pods ready to serve. */
    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }
    /** The Service that reaches the pool's runners. */
    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }
}
