package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** What the operator observed of an App. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class AppStatus extends ResourceStatus {
    /** Condition type: the manifest passed every check the operator can make. */
    public static final String VALID = "Valid";

    private AppRuntimeStatus runtime;

    /** Written by the runners (not the operator): whether they serve the App, and why not. */
    public AppRuntimeStatus getRuntime() {
        return runtime;
    }

    public void setRuntime(AppRuntimeStatus runtime) {
        this.runtime = runtime;
    }
}
