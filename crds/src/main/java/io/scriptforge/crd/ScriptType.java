package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** The seed's three kinds of ScriptForge file. */
public enum ScriptType {
    /** Synchronous only, no library modules, fresh state every invocation: the fastest. */
    SCRIPT,
    /** Async, timers and whitelisted modules; fresh state every invocation. */
    APP,
    /** Like app, but its global state persists between invocations on the same runner. */
    WORKER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isAsync() {
        return this != SCRIPT;
    }

    public boolean keepsState() {
        return this == WORKER;
    }
}
