package io.scriptforge.runner.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.AppPlatform;
import io.scriptforge.runner.app.AppRuntime;
import io.scriptforge.runner.app.events.AppEvents;
import io.scriptforge.runner.app.session.LoginDigest;
import io.scriptforge.runner.app.session.SessionIdentity;
import io.scriptforge.runner.app.sql.SessionVariables;
import io.scriptforge.runner.app.sql.StatementException;
import io.scriptforge.runner.app.sql.StatementResult;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The AppWebsocket protocol of one session: login, then SqlInsert, SqlExec, SqlMonitor, DbFilesList
 * and the Config api; other messages go to the service's JsonApi handlers. Every answer carries the
 * request's {@code src}; every error says why.
 */
final class AppMessages {
    private static final Logger LOG = Logger.getLogger(AppMessages.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppSocket socket;
    private final AppRuntime runtime;
    private final AppPlatform platform;
    private final ObjectMapper json;
    private final Map<String, AutoCloseable> monitors = new ConcurrentHashMap<>();
    private volatile String challenge;
    private volatile SessionIdentity identity;
    private volatile SessionVariables variables;
    private volatile String dbfilesKey;
    private boolean ended;

    AppMessages(AppSocket socket, AppRuntime runtime, AppPlatform platform) {
        this.socket = socket;
        this.runtime = runtime;
        this.platform = platform;
        this.json = platform.json();
    }

    SessionIdentity identity() {
        return identity;
    }

    /** The key that authorizes this session's dbfiles uploads; null before login. */
    String dbfilesKey() {
        return dbfilesKey;
    }

    static ObjectNode error(ObjectMapper json, String mt, JsonNode src, String reason) {
        ObjectNode answer = json.createObjectNode().put("mt", mt.endsWith("Result") ? mt : mt + "Result");
        if (src != null) {
            answer.set("src", src);
        }
        return answer.put("error", reason);
    }

    void handle(ObjectNode message) {
        String mt = message.path("mt").asText("");
        JsonNode src = message.get("src");
        if (mt.isEmpty()) {
            socket.sendError("Error", src, "the message has no mt (message type)");
            return;
        }
        if ("Config".equals(message.path("api").asText(null)) && !mt.equals("AppChallenge") && !mt.equals("AppLogin")) {
            if (loggedIn(mt, src)) {
                ConfigRequests.handle(socket, runtime, platform, identity.modes(), mt, src, message);
            }
            return;
        }
        switch (mt) {
            case "AppChallenge" -> challenge(src);
            case "AppLogin" -> login(src, message);
            case "SqlInsert", "SqlExec" -> {
                if (loggedIn(mt, src)) {
                    sql(mt, src, message);
                }
            }
            case "SqlMonitor" -> {
                if (loggedIn(mt, src)) {
                    monitor(src, message);
                }
            }
            case "DbFilesList" -> {
                if (loggedIn(mt, src)) {
                    FileListRequests.handle(socket, runtime, platform, src, message);
                }
            }
            default -> {
                if (!loggedIn(mt, src)) {
                    return;
                }
                if (runtime.service().handles(message)) {
                    runtime.service().message(socket, message);
                } else {
                    socket.sendError(
                            mt,
                            src,
                            "unknown message type '" + mt + "'"
                                    + (message.has("api")
                                            ? " for api '" + message.path("api").asText() + "'"
                                            : "")
                                    + ": the app handles AppChallenge, AppLogin, SqlInsert, SqlExec, SqlMonitor, DbFilesList, the Config api and its service's JsonApi messages");
                }
            }
        }
    }

    private boolean loggedIn(String mt, JsonNode src) {
        if (identity == null) {
            socket.sendError(mt, src, "log in first: AppChallenge, then AppLogin");
            return false;
        }
        return true;
    }

    private void challenge(JsonNode src) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        challenge = HexFormat.of().formatHex(bytes);
        ObjectNode answer = json.createObjectNode().put("mt", "AppChallengeResult");
        if (src != null) {
            answer.set("src", src);
        }
        socket.send(answer.put("challenge", challenge));
    }

    private void login(JsonNode src, ObjectNode message) {
        String issued = challenge;
        challenge = null; // one login per challenge: a replayed digest finds none
        String failure = loginFailure(issued, message);
        if (failure != null) {
            ObjectNode answer = error(json, "AppLoginResult", src, failure).put("ok", false);
            socket.send(answer);
            socket.close();
            return;
        }
        String password = runtime.manifest().password();
        String app = message.path("app").asText("");
        String domain = message.path("domain").asText("");
        Set<String> modes = new LinkedHashSet<>();
        if (runtime.manifest().domain() != null && runtime.manifest().domain().equalsIgnoreCase(domain)) {
            modes.add("owner");
        }
        String[] parts = app.split("~");
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isBlank()) {
                modes.add(parts[i]);
            }
        }
        SessionIdentity who = new SessionIdentity(
                app,
                domain,
                message.path("sip").asText(""),
                message.path("dn").asText(""),
                message.path("guid").asText(""),
                modes);
        String key = LoginDigest.dbfilesKey(LoginDigest.sessionKey(issued, password));
        try {
            platform.sessions().add(runtime.schema(), key);
        } catch (SQLException e) {
            socket.send(error(json, "AppLoginResult", src, "the app's database is unavailable: " + e.getMessage())
                    .put("ok", false));
            socket.close();
            return;
        }
        dbfilesKey = key;
        variables = new SessionVariables(who);
        identity = who;
        ObjectNode answer = json.createObjectNode().put("mt", "AppLoginResult");
        if (src != null) {
            answer.set("src", src);
        }
        socket.send(answer.put("ok", true));
        runtime.service().connected(socket);
    }

    /** Why a login is refused, or null when it is good. */
    private String loginFailure(String issued, ObjectNode message) {
        if (identity != null) {
            return "this session is already logged in";
        }
        if (issued == null) {
            return "ask for an AppChallenge first; each challenge serves one AppLogin";
        }
        String password = runtime.manifest().password();
        if (password == null) {
            return "the app has no password (spec.passwordSecretRef), so nobody can log in";
        }
        String app = message.path("app").asText("");
        String base = app.split("~", 2)[0];
        if (!base.equals(runtime.name())
                && (runtime.manifest().apis() == null
                        || !runtime.manifest().apis().has(base))) {
            return "app '" + base + "' is not served here: log in as " + runtime.name()
                    + (runtime.manifest().apis() == null ? "" : " or one of the apps in its apis");
        }
        JsonNode infoNode = message.get("info");
        String info = infoNode == null || infoNode.isNull() ? null : infoNode.toString();
        String expected = LoginDigest.digest(
                app,
                text(message, "domain"),
                text(message, "sip"),
                text(message, "guid"),
                text(message, "dn"),
                info,
                issued,
                password);
        return LoginDigest.matches(expected, message.path("digest").asText(null))
                ? null
                : "wrong digest: the login is refused";
    }

    private static String text(ObjectNode message, String field) {
        return message.path(field).asText("");
    }

    private void sql(String mt, JsonNode src, ObjectNode message) {
        String statement = message.path("statement").asText(null);
        if (statement == null) {
            socket.sendError(mt, src, mt + " needs a statement name");
            return;
        }
        JsonNode args = message.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            socket.sendError(mt, src, "args must be an object of name: value");
            return;
        }
        ObjectNode argsObject = args == null || args.isNull() ? json.createObjectNode() : (ObjectNode) args;
        try {
            if (mt.equals("SqlInsert")) {
                StatementResult outcome = platform.statements()
                        .insert(
                                runtime.schema(),
                                runtime.catalog(),
                                statement,
                                argsObject,
                                variables,
                                this::publishMonitor);
                ObjectNode answer = reply("SqlInsertResult", src);
                answer.set("id", outcome.id());
                socket.send(answer);
            } else {
                platform.statements()
                        .exec(
                                runtime.schema(),
                                runtime.catalog(),
                                statement,
                                argsObject,
                                variables,
                                this::publishMonitor,
                                row -> {
                                    ObjectNode out = reply("SqlRow", src).put("statement", statement);
                                    out.setAll(row);
                                    socket.sendAwaitingRoom(out);
                                });
                socket.send(reply("SqlExecResult", src));
            }
        } catch (StatementException e) {
            socket.sendError(mt, src, e.getMessage());
        } catch (InterruptedException e) {
            LOG.debugf("App %s: %s stopped: the client went away or stopped reading", runtime.qualifiedName(), mt);
        }
    }

    private ObjectNode reply(String mt, JsonNode src) {
        return reply(json, mt, src);
    }

    /** An answer of type {@code mt} carrying the request's {@code src}. */
    static ObjectNode reply(ObjectMapper json, String mt, JsonNode src) {
        ObjectNode answer = json.createObjectNode().put("mt", mt);
        if (src != null) {
            answer.set("src", src);
        }
        return answer;
    }

    /** In the statement's transaction: the SqlUpdate goes out to every replica only if the statement commits. */
    private void publishMonitor(java.sql.Connection tx, StatementResult result) throws SQLException {
        if (result.statement().monitor() == null) {
            return;
        }
        ObjectNode payload =
                json.createObjectNode().put("statement", result.statement().name());
        payload.set("id", result.id());
        payload.set("obj", result.obj());
        platform.events()
                .publish(
                        tx,
                        runtime.qualifiedName(),
                        "monitor:" + result.statement().monitor(),
                        payload);
    }

    private void monitor(JsonNode src, ObjectNode message) {
        String name = message.path("name").asText(null);
        if (name == null || name.isBlank()) {
            socket.sendError(
                    "SqlMonitor", src, "SqlMonitor needs the name of a monitor (the statements' monitor field)");
            return;
        }
        boolean known = runtime.manifest().statements().values().stream()
                .flatMap(List::stream)
                .anyMatch(s -> name.equals(s.monitor()));
        if (!known) {
            socket.sendError("SqlMonitor", src, "no statement is marked with monitor '" + name + "'");
            return;
        }
        AppEvents.Subscription subscription = platform.events()
                .subscribe(runtime.qualifiedName(), "monitor:" + name, payload -> {
                    ObjectNode update = json.createObjectNode().put("mt", "SqlUpdate");
                    if (src != null) {
                        update.set("src", src);
                    }
                    update.set("statement", payload.get("statement"));
                    update.set("id", payload.get("id"));
                    update.set("obj", payload.get("obj"));
                    socket.send(update);
                });
        AutoCloseable previous = monitors.put(name, subscription);
        closeQuietly(previous);
        ObjectNode answer = json.createObjectNode().put("mt", "SqlMonitorResult");
        if (src != null) {
            answer.set("src", src);
        }
        socket.send(answer.put("name", name));
    }

    /** Ends the session once: stops its monitors, tells the service, forgets its dbfiles key. Returns false when already ended. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        monitors.values().forEach(AppMessages::closeQuietly);
        monitors.clear();
        if (identity != null) {
            runtime.service().closed(socket);
            String key = dbfilesKey;
            if (key != null) {
                Thread.ofVirtual().start(() -> {
                    try {
                        platform.sessions().remove(runtime.schema(), key);
                    } catch (SQLException e) {
                        LOG.debugf(
                                "App %s: session key not removed (it expires): %s",
                                runtime.qualifiedName(), e.getMessage());
                    }
                });
            }
        }
        return true;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("closing a monitor: %s", e.getMessage());
            }
        }
    }
}
