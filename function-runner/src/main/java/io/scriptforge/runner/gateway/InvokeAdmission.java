package io.scriptforge.runner.gateway;

import io.scriptforge.runner.control.ControlAuthority;
import io.scriptforge.runner.control.ControlPermission;
import io.scriptforge.runner.registry.InvokeAccess;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.sources.SecretValues;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * The door of {@code /v1/invoke} and {@code /v1/route}, before any JavaScript runs: a page of another origin only
 * when the Script's {@code spec.cors} names it (with its CORS preflight), and the credential its {@code spec.auth}
 * asks for (a Secret's bearer token, or a Kubernetes token that RBAC lets do the Script's verb on it). A Script
 * without {@code spec.auth} takes every caller who knows its UUID, as the seed has it.
 */
@ApplicationScoped
public class InvokeAdmission {
    private static final String EXPOSED = "X-Invocation-Id, X-ScriptForge-Status";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Invocation-Id";

    @Inject
    ScriptRegistry registry;

    @Inject
    SecretValues secrets;

    @Inject
    ControlAuthority authority;

    void routes(@Observes Router router) {
        router.route(HttpMethod.OPTIONS, "/v1/invoke/:uuid").handler(this::preflight);
        router.route(HttpMethod.OPTIONS, "/v1/route/:uuid").handler(this::preflight);
    }

    /** Runs {@code then} (on the event loop) when the caller may invoke {@code entry}; else answers 401, 403 or 503. */
    void ifAdmitted(RoutingContext ctx, ScriptRegistry.Entry entry, Runnable then) {
        InvokeAccess access = entry.access();
        String foreign = ControlAccess.foreignOrigin(ctx);
        if (foreign != null) {
            String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
            if (!access.allowsOrigin(origin)) {
                BoundedBody.refuseUnread(
                        ctx,
                        403,
                        "Forbidden",
                        "Script " + entry.qualifiedName() + " takes no requests from a web page of"
                                + " another origin (" + foreign
                                + "): its spec.cors.allowOrigins does not name it; call it from a program or a server");
                return;
            }
            ctx.response()
                    .putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader(HttpHeaders.VARY, "Origin")
                    .putHeader("Access-Control-Expose-Headers", EXPOSED);
        }
        if (access.bearer() == null && access.verb() == null) {
            then.run();
            return;
        }
        String token = ControlAccess.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            unauthorized(
                    ctx,
                    "Script " + entry.qualifiedName()
                            + " takes only callers with a credential: Authorization: Bearer <token> ("
                            + (access.bearer() != null
                                    ? "the value its spec.auth.bearer Secret holds"
                                    : "a Kubernetes token allowed to " + access.verb() + " it")
                            + ")");
            return;
        }
        ctx.vertx().executeBlocking(() -> decide(entry, token), false).onComplete(decided -> {
            if (decided.failed()) {
                ControlAccess.unavailable(ctx, decided.cause());
            } else if (decided.result().isEmpty()) {
                then.run();
            } else {
                Refusal refusal = decided.result().get();
                if (refusal.status() == 401) {
                    unauthorized(ctx, refusal.message());
                } else {
                    ErrorBody.send(ctx.response(), refusal.status(), refusal.reason(), refusal.message());
                }
            }
        });
    }

    private record Refusal(int status, String reason, String message) {}

    /** Why {@code token} may not invoke {@code entry}, or empty when it may. Blocks (a Secret or a review). */
    private Optional<Refusal> decide(ScriptRegistry.Entry entry, String token)
            throws ControlAuthority.UnavailableException {
        InvokeAccess access = entry.access();
        if (access.bearer() != null) {
            Optional<String> expected = secrets.value(entry.namespace(), access.bearer());
            if (expected.isEmpty()) {
                return Optional.of(new Refusal(
                        503,
                        "Service Unavailable",
                        "Script " + entry.qualifiedName() + "'s spec.auth.bearer names key "
                                + access.bearer().getKey() + " of Secret " + entry.namespace() + "/"
                                + access.bearer().getName()
                                + ", which does not exist: it takes no caller until it does"));
            }
            boolean same = MessageDigest.isEqual(
                    expected.get().strip().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
            return same
                    ? Optional.empty()
                    : Optional.of(new Refusal(
                            401,
                            "Unauthorized",
                            "the bearer token is not the one Script " + entry.qualifiedName() + " takes"));
        }
        var caller = authority.authenticate(token);
        if (caller.isEmpty()) {
            return Optional.of(new Refusal(
                    401, "Unauthorized", "the bearer token was not accepted (unknown, expired or revoked)"));
        }
        ControlPermission permission = ControlPermission.onScript(access.verb(), entry.name());
        if (authority.allows(caller.get(), entry.namespace(), permission)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                403,
                "Forbidden",
                caller.get().name() + " may not " + permission.describe() + " (group scriptforge.io) in namespace "
                        + entry.namespace() + ": a Role bound to them must grant it"));
    }

    /** A browser's CORS preflight: answered for the origins the Script's spec.cors names, refused for any other. */
    private void preflight(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        Optional<ScriptRegistry.Entry> entry =
                registry.byUuid(ctx.pathParam("uuid").toLowerCase(Locale.ROOT));
        if (entry.isEmpty() || !entry.get().access().allowsOrigin(origin)) {
            ErrorBody.send(ctx.response(), 403, "no Script with this uuid takes requests from web pages of " + origin);
            return;
        }
        ctx.response()
                .setStatusCode(204)
                .putHeader("Access-Control-Allow-Origin", origin)
                .putHeader(HttpHeaders.VARY, "Origin")
                .putHeader("Access-Control-Allow-Methods", "GET, POST")
                .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .putHeader("Access-Control-Max-Age", "600")
                .end();
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"scriptforge\"");
        ErrorBody.send(ctx.response(), 401, message);
    }
}
