package io.scriptforge.runner.gateway;

import io.scriptforge.runner.control.Caller;
import io.scriptforge.runner.control.ControlAuthority;
import io.scriptforge.runner.control.ControlPermission;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The door of the control API (listings, logs, cancels, jobs, schedules, Apps): before any of its handlers, a
 * request from another origin is refused and the caller's bearer token is checked with the runner's
 * {@link ControlAuthority}; each handler then asks whether the caller may do its one thing in the namespace
 * concerned. Invocation by UUID ({@code /v1/invoke}, {@code /v1/route}) is not behind it: the UUID is the
 * capability, as the seed has it.
 */
@ApplicationScoped
public class ControlAccess {
    /** Every control path; {@code /v1/invoke/} and {@code /v1/route/} are not among them. */
    static final String CONTROL_PATHS = "/v1/(scripts|invocations|jobs|schedules|apps)(/.*)?";

    private static final String CALLER = "scriptforge.control.caller";
    private static final int MAX_TOKEN_CHARS = 8192;

    @Inject
    ControlAuthority authority;

    void routes(@Observes Router router) {
        router.routeWithRegex(CONTROL_PATHS).order(-100).handler(this::authenticate);
    }

    /** Runs {@code then} (on the event loop) when the caller may do {@code permission} in {@code namespace}, else answers 403. */
    void ifAllowed(RoutingContext ctx, String namespace, ControlPermission permission, Runnable then) {
        ifAllowedElse(ctx, namespace, permission, then, () -> forbid(ctx, namespace, permission));
    }

    /** The same, with {@code otherwise} instead of 403 (a lookup by id answers as if the id were unknown). */
    void ifAllowedElse(
            RoutingContext ctx, String namespace, ControlPermission permission, Runnable then, Runnable otherwise) {
        Caller caller = ctx.get(CALLER);
        ctx.vertx()
                .executeBlocking(() -> authority.allows(caller, namespace, permission), false)
                .onComplete(allowed -> {
                    if (allowed.failed()) {
                        unavailable(ctx, allowed.cause());
                    } else if (allowed.result()) {
                        then.run();
                    } else {
                        otherwise.run();
                    }
                });
    }

    /**
     * For a call on one object found by id (a job, an invocation): runs {@code then} when the caller may do
     * {@code permission}; one who may not even {@code see} it gets {@code unknown}, as for an id that does not exist
     * (another tenant learns nothing), and one who may see it, 403.
     */
    void ifAllowedElseHidden(
            RoutingContext ctx,
            String namespace,
            ControlPermission permission,
            ControlPermission see,
            Runnable then,
            Runnable unknown) {
        ifAllowedElse(
                ctx,
                namespace,
                permission,
                then,
                () -> ifAllowedElse(ctx, namespace, see, () -> forbid(ctx, namespace, permission), unknown));
    }

    /** Hands {@code then} (on the event loop) those of {@code namespaces} in which the caller may do {@code permission}. */
    void withAllowed(
            RoutingContext ctx,
            Collection<String> namespaces,
            ControlPermission permission,
            Consumer<Set<String>> then) {
        Caller caller = ctx.get(CALLER);
        List<String> distinct = List.copyOf(new LinkedHashSet<>(namespaces));
        ctx.vertx()
                .executeBlocking(
                        () -> {
                            Set<String> allowed = new LinkedHashSet<>();
                            for (String namespace : distinct) {
                                if (authority.allows(caller, namespace, permission)) {
                                    allowed.add(namespace);
                                }
                            }
                            return allowed;
                        },
                        false)
                .onComplete(allowed -> {
                    if (allowed.failed()) {
                        unavailable(ctx, allowed.cause());
                    } else {
                        then.accept(allowed.result());
                    }
                });
    }

    /** 403 for a caller who may not do {@code permission} in {@code namespace}. */
    void forbid(RoutingContext ctx, String namespace, ControlPermission permission) {
        Caller caller = ctx.get(CALLER);
        ErrorBody.send(
                ctx.response(),
                403,
                caller.name() + " may not " + permission.describe() + " (group " + "scriptforge.io) in namespace "
                        + namespace + ": a Role bound to them must grant it");
    }

    /** The authority could not answer: 503, never a guess either way. */
    static void unavailable(RoutingContext ctx, Throwable cause) {
        ErrorBody.send(ctx.response(), 503, "the control API cannot check credentials now: " + cause.getMessage());
    }

    private void authenticate(RoutingContext ctx) {
        String foreignOrigin = foreignOrigin(ctx);
        if (foreignOrigin != null) {
            BoundedBody.refuseUnread(
                    ctx,
                    403,
                    "Forbidden",
                    "the control API takes no requests from a web page of another origin (" + foreignOrigin
                            + "): call it from a program, with a bearer token");
            return;
        }
        if (authority.open()) {
            ctx.put(CALLER, io.scriptforge.runner.control.OpenAuthority.ANYONE);
            ctx.next();
            return;
        }
        String token = bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            unauthorized(
                    ctx,
                    "the control API needs a credential: Authorization: Bearer <token>"
                            + " (locally the token the runner wrote at start; in a cluster a Kubernetes token)");
            return;
        }
        ctx.request().pause(); // a body (POST /v1/jobs) waits for its handler, which reads it after this check
        ctx.vertx().executeBlocking(() -> authority.authenticate(token), false).onComplete(checked -> {
            if (checked.failed()) {
                ctx.request().resume();
                unavailable(ctx, checked.cause());
            } else if (checked.result().isEmpty()) {
                ctx.request().resume();
                unauthorized(ctx, "the bearer token was not accepted (unknown, expired or revoked)");
            } else {
                ctx.put(CALLER, checked.result().get());
                ctx.next();
            }
        });
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"scriptforge\"");
        BoundedBody.refuseUnread(ctx, 401, "Unauthorized", message);
    }

    /** The token of an {@code Authorization: Bearer} header, or null when there is none (or it is absurdly long). */
    static String bearerToken(String header) {
        if (header == null
                || header.length() > MAX_TOKEN_CHARS + 7
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * The origin a browser says the request came from when it is not this runner's own, else null. A web page
     * of another origin (or a sandboxed one, {@code Origin: null}) never drives the control API, whatever
     * credentials its browser would add; programs send no Origin at all.
     */
    static String foreignOrigin(RoutingContext ctx) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return "Sec-Fetch-Site: " + site;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return null;
        }
        var own = ctx.request().authority(); // Host over HTTP/1.1, :authority over HTTP/2
        String host = own == null ? null : own.host() + (own.port() >= 0 ? ":" + own.port() : "");
        return host != null && host.toLowerCase(Locale.ROOT).equals(authorityOf(origin)) ? null : origin;
    }

    private static String authorityOf(String origin) {
        try {
            String authority = URI.create(origin.trim()).getRawAuthority();
            return authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
