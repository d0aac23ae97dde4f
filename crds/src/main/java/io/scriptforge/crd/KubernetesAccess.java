package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/** spec.auth.kubernetes: the RBAC verb (e.g. {@code invoke}) a caller needs on {@code scripts/<name>} (group scriptforge.io). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class KubernetesAccess implements KubernetesResource {
    public static final String VERB_PATTERN = "^[a-z][a-z-]{0,62}$";

    @Required
    @Pattern(VERB_PATTERN)
    private String verb;

    public String getVerb() {
        return verb;
    }

    public void setVerb(String verb) {
        this.verb = verb;
    }
}
