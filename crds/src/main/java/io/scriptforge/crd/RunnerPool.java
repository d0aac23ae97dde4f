package io.scriptforge.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The shape of a set of autoscaled runner pods serving the Scripts of its namespace. */
@Group(Script.GROUP)
@Version(Script.VERSION)
@Kind("RunnerPool")
@ShortNames("sfpool")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Replicas",
        jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Min", jsonPath = ".spec.minReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max", jsonPath = ".spec.maxReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// The pool's name ends up in its objects' names ("scriptforge-runner-<pool>", a Service: at most 63 characters).
@ValidationRule(
        value = "self.metadata.name.matches('" + Names.DNS_LABEL + "') && size(self.metadata.name) <= "
                + Names.MAX_POOL_NAME,
        message = "metadata.name: a RunnerPool name is lowercase letters, digits and '-', at most "
                + Names.MAX_POOL_NAME + " characters (it names the pool's Service)")
public class RunnerPool extends CustomResource<RunnerPoolSpec, RunnerPoolStatus> implements Namespaced {
    /** A pool written without a spec is a pool with every default. */
    @Override
    protected RunnerPoolSpec initSpec() {
        return new RunnerPoolSpec();
    }
}
