package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import io.scriptforge.runner.app.session.SessionIdentity;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.syntax.LocatedError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.jboss.logging.Logger;

/**
 * One app's service JavaScript, from its start to its close: the files of {@code javascript.eval}
 * evaluated in one deny-by-default context, which only the app's own loop thread ever enters.
 * Sessions, messages, HTTP requests, timers, database results and config changes all reach the
 * JavaScript as entries of that loop, each bounded by the call timeout. Every method is safe from
 * any thread.
 */
public final class AppService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppService.class);
    private static final Source LIBRARY = Source.newBuilder(
                    "js", resource("scriptforge/app-service.js"), "scriptforge-app-service.js")
            .internal(true)
            .cached(true)
            .buildLiteral();

    /** Building a context and loading the library: the platform's own code, which a cold JVM runs slowly. */
    private static final Duration LIBRARY_LOAD_LIMIT = Duration.ofSeconds(60);

    private enum Phase {
        NEW,
        STARTING,
        RUNNING,
        FAILED,
        CLOSED
    }

    private final JsEngine engine;
    private final AppManifest manifest;
    private final ServiceBackend backend;
    private final String appName;
    private final Set<String> appFiles;
    private final ServiceLoop loop;
    private final StartGate gate = new StartGate();
    private final ServiceTimers timers;
    private final ServiceDatabase database;
    private final ServiceHttp http = new ServiceHttp();
    private final Map<String, ServiceConnection> sessions = new ConcurrentHashMap<>();
    private final ServiceHost host;
    private final Object lifecycle = new Object();
    private volatile Phase phase = Phase.NEW;
    private volatile String failure;
    private volatile Context context;
    private ServiceRuntime runtime; // loop thread only

    /**
     * @param callTimeout how long one entry into the JavaScript (a message, a request, a timer, one
     *                    file at start...) may run before it is interrupted
     */
    public AppService(JsEngine engine, AppManifest manifest, ServiceBackend backend, Duration callTimeout) {
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
        }
        this.engine = engine;
        this.manifest = manifest;
        this.backend = backend;
        this.appName = manifest.qualifiedName();
        this.appFiles = Set.copyOf(manifest.evalFiles());
        this.loop = new ServiceLoop(appName, callTimeout, this::interruptRunningCode);
        this.timers = new ServiceTimers(appName, id -> enter("a timer callback", () -> runtime.fireTimer(id), null));
        ServiceDatabase.Results results = new ServiceDatabase.Results() {
            @Override
            public void succeeded(long operation, JsonNode value) {
                String json = ServiceJson.write(value);
                enter(
                        "the continuation of a database or config result",
                        () -> runtime.settle(operation, true, json),
                        null);
            }

            @Override
            public void failed(long operation, String message, String sqlState) {
                ObjectNode error = ServiceJson.NODES.objectNode().put("message", message);
                if (sqlState != null) {
                    error.put("code", sqlState);
                }
                String json = ServiceJson.write(error);
                enter(
                        "the continuation of a database or config result",
                        () -> runtime.settle(operation, false, json),
                        null);
            }
        };
        this.database = new ServiceDatabase(backend, results);
        this.host = new ServiceHost(backend, gate, timers, database, results, http, sessions);
    }

    /**
     * Evaluates the service files in order, all or nothing: when one fails to parse or throws at
     * its top level, the context is closed, nothing the files set in motion (queries, timers,
     * config saves) ever runs, and the app stays failed.
     *
     * @throws LocatedError naming the file, line and column where it failed
     * @throws IllegalStateException when the service was started before, or its config cannot be read
     */
    public void start() throws LocatedError {
        synchronized (lifecycle) {
            if (phase != Phase.NEW) {
                throw new IllegalStateException(
                        "the service of " + appName + " was started before (it is " + state() + ")");
            }
            phase = Phase.STARTING;
        }
        String meta;
        try {
            meta = metaJson(backend.configValues());
        } catch (SQLException | RuntimeException e) {
            String reason = "its config could not be read: "
                    + (e instanceof SQLException sql ? ServiceSql.describe(sql) : e.getMessage());
            fail(reason);
            throw new IllegalStateException("the service of " + appName + " cannot start: " + reason, e);
        }
        LocatedError failed = null;
        try {
            loop.call(
                    "loading the service library",
                    () -> {
                        context = engine.newContext();
                        Value kernel = engine.sandboxKernel(context);
                        runtime = new ServiceRuntime(context.eval(LIBRARY).execute(host.bridge(kernel), meta, kernel));
                    },
                    LIBRARY_LOAD_LIMIT.compareTo(loop.limit()) > 0 ? LIBRARY_LOAD_LIMIT : loop.limit());
            for (String file : manifest.evalFiles()) {
                failed = evaluate(file);
                if (failed != null) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // Not the app's code: the context could not be built, or the service was closed meanwhile.
            fail("the service could not start: " + e.getMessage());
            throw new IllegalStateException("the service of " + appName + " could not start: " + e.getMessage(), e);
        }
        if (failed != null) {
            loop.call("dropping what the files set in motion", gate::drop);
            fail(failed.getMessage());
            throw failed;
        }
        loop.call("releasing what the files set in motion", () -> {
            synchronized (lifecycle) {
                if (phase != Phase.STARTING) {
                    return; // closed while starting
                }
                phase = Phase.RUNNING;
            }
            gate.open();
        });
        LOG.infof(
                "service of %s %s (%d file(s))",
                appName,
                running() ? "started" : "closed while starting",
                manifest.evalFiles().size());
    }

    /** Evaluates one app file on the loop; what went wrong, or null. */
    private LocatedError evaluate(String file) {
        Optional<byte[]> code = manifest.files().read(file);
        if (code.isEmpty()) {
            return LocatedError.at(file, 0, 0, "the file is not in the app");
        }
        Source source = Source.newBuilder("js", new String(code.get(), StandardCharsets.UTF_8), file)
                .buildLiteral();
        AtomicReference<LocatedError> failure = new AtomicReference<>();
        loop.call("evaluating " + file, () -> {
            try {
                context.eval(source);
            } catch (PolyglotException e) {
                failure.set(evalFailure(e, file));
            }
        });
        return failure.get();
    }

    private LocatedError evalFailure(PolyglotException e, String file) {
        GuestErrors.Where where = GuestErrors.where(e, appFiles, file);
        String reason = e.isInterrupted()
                ? "its top-level code ran longer than " + ServiceLoop.describe(loop.limit()) + " and was stopped"
                : GuestErrors.reason(e);
        return LocatedError.at(where.file(), where.line(), where.column(), reason);
    }

    /** A session logged in: every JsonApi's onconnected handlers get its connection. */
    public void connected(ServiceConnection connection) {
        if (!running()) {
            return;
        }
        sessions.put(connection.id(), connection);
        String identity = identityJson(connection.identity());
        enter(
                "the onconnected handlers for " + connection.identity().sip(),
                () -> runtime.connected(connection.id(), identity),
                null);
    }

    /** The session ended: its connections' onclose handlers run. */
    public void closed(ServiceConnection connection) {
        if (!running() || !sessions.containsKey(connection.id())) {
            return;
        }
        enter(
                "the onclose handlers for " + connection.identity().sip(),
                () -> {
                    try {
                        runtime.closed(connection.id());
                    } finally {
                        sessions.remove(connection.id());
                    }
                },
                null);
    }

    /** True when a JsonApi of the service claims the message's {@code api} (no {@code api}: the unnamed one). */
    public boolean handles(ObjectNode message) {
        return running() && host.apis().contains(apiOf(message));
    }

    /** Hands a message to the onmessage handlers of its API's connection for this session. */
    public void message(ServiceConnection connection, ObjectNode message) {
        if (!running()) {
            return;
        }
        if (sessions.putIfAbsent(connection.id(), connection) == null) {
            String identity = identityJson(connection.identity());
            enter(
                    "the onconnected handlers for " + connection.identity().sip(),
                    () -> runtime.connected(connection.id(), identity),
                    null);
        }
        String api = apiOf(message);
        String json = ServiceJson.write(message);
        enter(
                "the onmessage handlers for " + describeMessage(api, message) + " from "
                        + connection.identity().sip(),
                () -> runtime.message(connection.id(), api, json),
                null);
    }

    /**
     * The answer of the WebServer handler with the longest prefix of {@code request.path()}; empty
     * when no prefix matches. The future completes when the handler's promise settles (the caller
     * bounds how long it waits), with 500 when the handler failed, 503 when the service stopped.
     */
    public Optional<CompletableFuture<ServiceResponse>> request(ServiceRequest request) {
        Phase now = phase;
        if (now != Phase.RUNNING) {
            if (now == Phase.FAILED && http.hasPrefixes()) {
                return Optional.of(CompletableFuture.completedFuture(ServiceHttp.plain(503, notRunning())));
            }
            return Optional.empty();
        }
        Optional<String> prefix = http.route(request.path());
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
        long id = http.await(answer);
        String json = ServiceHttp.requestJson(request);
        enter(
                "the WebServer handler for '" + prefix.get() + "' (" + request.method() + " " + request.path() + ")",
                () -> runtime.request(id, prefix.get(), json),
                (status, message) -> http.fail(id, status, message));
        return Optional.of(answer);
    }

    /** Config items changed (by a client's WriteConfig, the service itself, another replica): onchanged runs with fresh values. */
    public void configChanged(List<String> names) {
        if (!running()) {
            return;
        }
        List<String> changed = List.copyOf(names);
        Thread.ofVirtual().name("sf-app-config").start(() -> {
            String values;
            try {
                values = ServiceJson.write(ServiceJson.objectOf(backend.configValues()));
            } catch (SQLException | RuntimeException e) {
                LOG.warnf(
                        "%s: the changed config could not be read, onchanged not called: %s", appName, e.getMessage());
                host.log("error", "the changed config could not be read: " + e.getMessage());
                return;
            }
            ArrayNode list = ServiceJson.NODES.arrayNode();
            changed.forEach(list::add);
            String namesJson = ServiceJson.write(list);
            enter("the Config.onchanged handlers", () -> runtime.configChanged(values, namesJson), null);
        });
    }

    /** "new", "starting", "running", "failed: why" or "closed". */
    public String state() {
        Phase now = phase;
        return now == Phase.FAILED ? "failed: " + failure : now.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    /** Why the service is not running, when it failed. */
    public Optional<String> failure() {
        return phase == Phase.FAILED ? Optional.ofNullable(failure) : Optional.empty();
    }

    /** Timers that are set and not yet due. */
    public int pendingTimers() {
        return timers.pendingCount();
    }

    /** Stops the timers, rolls back open transactions, answers waiting requests with 503, closes the context. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
        }
        release(notRunning());
        LOG.debugf("service of %s closed", appName);
    }

    /** Hears why an entry did not complete, as an HTTP status and a short text for a client. */
    private interface Problem {
        void report(int status, String message);
    }

    /**
     * Runs {@code js} as an entry of the loop. {@code onProblem} (may be null) hears why it did not
     * complete: 500 when it was stopped or failed, 503 when the service is gone.
     */
    private void enter(String what, Runnable js, Problem onProblem) {
        Problem problem = onProblem != null ? onProblem : (status, message) -> {};
        boolean queued = loop.post(what, () -> {
            if (phase == Phase.CLOSED || phase == Phase.FAILED || runtime == null) {
                problem.report(503, notRunning());
                return;
            }
            try {
                js.run();
            } catch (PolyglotException e) {
                if (e.isCancelled() || phase == Phase.CLOSED || phase == Phase.FAILED) {
                    problem.report(503, notRunning());
                } else {
                    problem.report(500, "service error: " + reportFailed(what, e));
                }
            } catch (IllegalStateException e) {
                // The context was closed under this entry (close() or a fatal stop).
                problem.report(503, notRunning());
            }
        });
        if (!queued) {
            problem.report(503, notRunning());
        }
    }

    /** What a client is told while the service is gone: the same words whichever path answers. */
    private String notRunning() {
        return phase == Phase.FAILED ? "the app's service is not running: " + failure : "the app's service was closed";
    }

    /** Logs a failed entry for the app's author; returns the short reason for a client. */
    private String reportFailed(String what, PolyglotException e) {
        GuestErrors.Where where = GuestErrors.where(e, appFiles, "?");
        String at = where.line() > 0 ? " (at " + where + ")" : "";
        if (e.isInterrupted()) {
            String message = what + " ran longer than " + ServiceLoop.describe(loop.limit()) + " and was stopped" + at;
            LOG.warnf("%s: %s", appName, message);
            host.log("error", message);
            return "stopped: it ran longer than " + ServiceLoop.describe(loop.limit());
        }
        // App code's errors are caught and logged by the library; what arrives here escaped it.
        String message = what + " failed: " + GuestErrors.reason(e) + at;
        LOG.warnf("%s: %s", appName, message);
        host.log("error", message);
        return GuestErrors.reason(e);
    }

    /** Called by the loop's watchdog thread; false when the code did not stop and the context had to be closed. */
    private boolean interruptRunningCode(Duration grace) {
        Context c = context;
        if (c == null) {
            return true;
        }
        try {
            c.interrupt(grace);
            return true;
        } catch (TimeoutException e) {
            String reason = "its JavaScript did not stop within " + ServiceLoop.describe(grace)
                    + " of being interrupted (after running longer than " + ServiceLoop.describe(loop.limit())
                    + "), so its context was closed: reload the app";
            LOG.errorf("service of %s: %s", appName, reason);
            host.log("error", reason);
            fail(reason);
            return false;
        }
    }

    /** The service cannot go on: it reports why in state() and answers waiting work. */
    private void fail(String reason) {
        synchronized (lifecycle) {
            if (phase == Phase.CLOSED || phase == Phase.FAILED) {
                return;
            }
            failure = reason;
            phase = Phase.FAILED;
        }
        release(notRunning());
    }

    private void release(String why) {
        timers.stop();
        database.close();
        http.failAll(503, why);
        Context c = context;
        if (c != null) {
            try {
                c.close(true);
            } catch (RuntimeException e) {
                LOG.debugf("closing the context of %s: %s", appName, e.toString());
            }
        }
        loop.shutdown();
    }

    private String metaJson(Map<String, JsonNode> config) {
        ObjectNode meta = ServiceJson.NODES.objectNode();
        meta.put("app", appName);
        ArrayNode files = meta.putArray("files");
        manifest.evalFiles().forEach(files::add);
        ArrayNode items = meta.putArray("items");
        manifest.configItems().stream().map(ConfigItem::name).forEach(items::add);
        meta.set("config", ServiceJson.objectOf(config));
        return ServiceJson.write(meta);
    }

    private static String identityJson(SessionIdentity identity) {
        ObjectNode json = ServiceJson.NODES.objectNode();
        json.put("app", identity.app());
        json.put("domain", identity.domain());
        json.put("sip", identity.sip());
        json.put("dn", identity.dn());
        json.put("guid", identity.guid());
        ArrayNode modes = json.putArray("modes");
        // owner first, then the others by name: the order modeText() joins them in
        identity.modes().stream()
                .sorted(Comparator.comparing((String m) -> !m.equals("owner")).thenComparing(Comparator.naturalOrder()))
                .forEach(modes::add);
        return ServiceJson.write(json);
    }

    private static String describeMessage(String api, ObjectNode message) {
        String mt = message.path("mt").asText("");
        return (api.isEmpty() ? "the unnamed JsonApi" : "JsonApi '" + api + "'")
                + (mt.isEmpty() ? "" : " message " + mt);
    }

    private static String apiOf(ObjectNode message) {
        JsonNode api = message.get("api");
        return api == null || api.isNull() ? "" : api.asText();
    }

    private static String resource(String path) {
        try (InputStream in = AppService.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }
}
