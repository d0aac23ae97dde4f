package io.scriptforge.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A ScriptForge file: one JavaScript function invocable by UUID. */
@Group(Script.GROUP)
@Version(Script.VERSION)
@Kind("Script")
@ShortNames("sfs")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "UUID", jsonPath = ".status.uuid", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// require('name') resolves to the Script named name: the seed's rule for module names.
@ValidationRule(
        value = "self.metadata.name.matches('" + Names.DNS_LABEL + "')",
        message = "metadata.name: a Script name is lowercase letters, digits and '-' (it is the name require() uses)")
@ValidationRule(value = "has(self.spec)", message = "spec is required: a Script needs at least spec.code")
public class Script extends CustomResource<ScriptSpec, ScriptStatus> implements Namespaced {
    public static final String GROUP = "scriptforge.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** The UUID the script is invoked by: the spec's, or the name-based one. */
    public String uuid() {
        ScriptSpec spec = getSpec();
        if (spec != null && spec.getUuid() != null && !spec.getUuid().isBlank()) {
            return spec.getUuid().toLowerCase(java.util.Locale.ROOT);
        }
        return ScriptIdentity.nameBasedUuid(
                        getMetadata().getNamespace(), getMetadata().getName())
                .toString();
    }
}
