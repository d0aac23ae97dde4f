package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One config.json init entry: {@code cmd} says what it is (table, column, statement, item, mode, start...);
 * its other fields depend on it and are kept as given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@PreserveUnknownFields
public class InitCommand implements KubernetesResource {
    @Required
    private String cmd;

    private String name;

    @JsonIgnore
    private final Map<String, JsonNode> fields = new LinkedHashMap<>();

    public String getCmd() {
        return cmd;
    }

    public void setCmd(String cmd) {
        this.cmd = cmd;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @JsonAnyGetter
    public Map<String, JsonNode> getFields() {
        return fields;
    }

    @JsonAnySetter
    public void setField(String key, JsonNode value) {
        fields.put(key, value);
    }

    public JsonNode field(String key) {
        return fields.get(key);
    }
}
