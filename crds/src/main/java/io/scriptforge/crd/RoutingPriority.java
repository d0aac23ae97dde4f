package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** The seed's "Global Routing Priority": whether a Script runs around every routing script of its namespace. */
public enum RoutingPriority {
    /** Not part of routing chains (the default). */
    DISABLED,
    /** Runs before the routing script of every POST /v1/route call in its namespace. */
    FIRST,
    /** Runs after it. */
    LAST;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
