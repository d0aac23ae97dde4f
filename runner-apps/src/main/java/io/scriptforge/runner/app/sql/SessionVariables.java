package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.scriptforge.runner.app.session.SessionIdentity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One session's values for server-filled statement args: who it is ({@code @domain @sip @dn @guid})
 * and what earlier statements declared with {@code return} gave back ({@code @name}). Safe to use
 * from several threads, as a session's requests may run concurrently.
 */
public final class SessionVariables {
    private final SessionIdentity identity;
    private final Map<String, JsonNode> returned = new ConcurrentHashMap<>();

    public SessionVariables(SessionIdentity identity) {
        this.identity = identity;
    }

    public SessionIdentity identity() {
        return identity;
    }

    /** The value stored under {@code name} ({@code @name} works too); SQL NULL is a JSON null. */
    public Optional<JsonNode> get(String name) {
        return Optional.ofNullable(returned.get(key(name)));
    }

    public void put(String name, JsonNode value) {
        returned.put(key(name), value == null ? NullNode.instance : value);
    }

    /** Forgets {@code name}: a later statement using it fails rather than use a stale value. */
    public void remove(String name) {
        returned.remove(key(name));
    }

    private static String key(String name) {
        return name.startsWith("@") ? name.substring(1) : name;
    }
}
