package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/** spec.routing of a Script: its place in Class 4 routing chains. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class ScriptRouting implements KubernetesResource {
    @Default("disabled")
    private RoutingPriority priority = RoutingPriority.DISABLED;

    /** disabled, first or last: see POST /v1/route. */
    public RoutingPriority getPriority() {
        return priority;
    }

    public void setPriority(RoutingPriority priority) {
        this.priority = priority;
    }
}
