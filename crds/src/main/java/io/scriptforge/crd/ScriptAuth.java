package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * spec.auth of a Script: what a caller of {@code /v1/invoke} and {@code /v1/route} must show, checked before any of
 * its JavaScript runs. Absent: the UUID is the capability, as the seed has it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@ValidationRule(
        value = "has(self.bearer) != has(self.kubernetes)",
        message = "spec.auth: give either bearer (a Secret's key) or kubernetes (a verb), not both and not neither")
public class ScriptAuth implements KubernetesResource {
    private KeyReference bearer;
    private KubernetesAccess kubernetes;

    /** {@code Authorization: Bearer <token>} with the value of this key of a Secret in the Script's namespace. */
    public KeyReference getBearer() {
        return bearer;
    }

    public void setBearer(KeyReference bearer) {
        this.bearer = bearer;
    }
    /** A Kubernetes token whose holder RBAC allows the verb on this Script (resource scripts, its name). */
    public KubernetesAccess getKubernetes() {
        return kubernetes;
    }

    public void setKubernetes(KubernetesAccess kubernetes) {
        this.kubernetes = kubernetes;
    }
}
