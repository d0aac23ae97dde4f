package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;

/** config.json "javascript": the service files evaluated at start, in order; "dir/*" means every JS file below dir. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class JavascriptSpec implements KubernetesResource {
    private List<String> eval;

    public List<String> getEval() {
        return eval;
    }

    public void setEval(List<String> eval) {
        this.eval = eval;
    }
}
