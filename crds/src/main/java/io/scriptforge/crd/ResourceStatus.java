package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every status of ours carries, as Kubernetes conventions ask: the generation observed and conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a status written by a newer operator must not stop an older reader
public abstract class ResourceStatus implements KubernetesResource {
    public static final String READY = "Ready";

    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();

    /** The metadata.generation this status describes. */
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
    /** Ready, and the conditions that explain it. */
    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Optional<Condition> condition(String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    @JsonIgnore
    public boolean isReady() {
        return condition(READY).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
