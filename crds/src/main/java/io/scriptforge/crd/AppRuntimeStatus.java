package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.Objects;

/**
 * What the runners of an App's pool report of it: whether they serve it, or why not (a database change
 * refused, the service JS failing at file:line:column...). Written by the runners, read by the operator,
 * which derives the App's Ready condition from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AppRuntimeStatus implements KubernetesResource {
    private Boolean served;
    private String message;
    private Integer schemaVersion;
    private Long observedGeneration;

    public AppRuntimeStatus() {}

    public AppRuntimeStatus(boolean served, String message, Integer schemaVersion, Long observedGeneration) {
        this.served = served;
        this.message = message;
        this.schemaVersion = schemaVersion;
        this.observedGeneration = observedGeneration;
    }

    /** The runners serve the App. */
    public Boolean getServed() {
        return served;
    }

    public void setServed(Boolean served) {
        this.served = served;
    }
    /** Why not, when not; the schema and service otherwise. */
    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
    /** The version of the app's database schema (it grows with each migration that changed something). */
    public Integer getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(Integer schemaVersion) {
        this.schemaVersion = schemaVersion;
    }
    /** The App's metadata.generation the runners started. */
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppRuntimeStatus other
                && Objects.equals(served, other.served)
                && Objects.equals(message, other.message)
                && Objects.equals(schemaVersion, other.schemaVersion)
                && Objects.equals(observedGeneration, other.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(served, message, schemaVersion, observedGeneration);
    }
}
