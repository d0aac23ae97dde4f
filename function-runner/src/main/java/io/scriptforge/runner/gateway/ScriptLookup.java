package io.scriptforge.runner.gateway;

import io.scriptforge.runner.registry.ScriptRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The Script a request names by UUID, and the answers when there is none to serve, in one place so that every
 * route says it alike: 404 when no Script has the UUID, 503 when it is declared but not loaded (with why).
 */
final class ScriptLookup {
    private ScriptLookup() {}

    /** The Script the path's {@code uuid} names, or null after answering 404. */
    static ScriptRegistry.Entry byPath(RoutingContext ctx, ScriptRegistry registry) {
        return byUuid(ctx, registry, ctx.pathParam("uuid"));
    }

    /** The Script with {@code uuid} (any case), or null after answering 404. */
    static ScriptRegistry.Entry byUuid(RoutingContext ctx, ScriptRegistry registry, String uuid) {
        String wanted = uuid.toLowerCase(Locale.ROOT);
        ScriptRegistry.Entry entry = registry.byUuid(wanted).orElse(null);
        if (entry == null) {
            ErrorBody.send(
                    ctx.response(), 404, "no Script has uuid " + wanted + ": GET /v1/scripts lists the loaded ones");
        }
        return entry;
    }

    /** Whether {@code entry} can run; if not, answers 503 with its load error. */
    static boolean servable(HttpServerResponse response, ScriptRegistry.Entry entry) {
        return servable(response, entry, "");
    }

    /**
     * The same, for a Script in a role: {@code " of the routing chain"} names which Script of a chain is not
     * loaded.
     */
    static boolean servable(HttpServerResponse response, ScriptRegistry.Entry entry, String role) {
        if (entry.compiled() != null) {
            return true;
        }
        ErrorBody.send(
                response, 503, "Script " + entry.qualifiedName() + role + " is not loaded: " + entry.loadError());
        return false;
    }
}
