package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;

/**
 * spec.cors of a Script: the web origins whose pages may invoke it from a browser. Absent: none may (a request a
 * browser sends from another origin is refused before any JavaScript runs). The origins' form is checked by
 * {@link ScriptSpec#accessProblem()}: a CEL rule over every item costs more than the API server's budget allows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class ScriptCors implements KubernetesResource {
    public static final String ORIGIN_PATTERN = "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$";

    @Required
    @Size(min = 1, max = 32)
    private List<String> allowOrigins;

    public List<String> getAllowOrigins() {
        return allowOrigins;
    }

    public void setAllowOrigins(List<String> allowOrigins) {
        this.allowOrigins = allowOrigins;
    }
}
