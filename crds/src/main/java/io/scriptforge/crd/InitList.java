package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;

/** config.json's {"init": [{"cmd": ...}, ...]} shape, shared by database, config and dbfiles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class InitList implements KubernetesResource {
    private List<InitCommand> init;

    public List<InitCommand> getInit() {
        return init;
    }

    public void setInit(List<InitCommand> init) {
        this.init = init;
    }
}
