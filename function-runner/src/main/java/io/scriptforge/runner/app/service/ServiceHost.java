package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.service.ServiceSql.Kind;
import io.scriptforge.runner.app.service.ServiceSql.Query;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.jboss.logging.Logger;

/**
 * What the service library may ask of the platform: the {@code host} object app-service.js
 * closes over (app code never sees it). Arguments arrive checked by the library; every call comes
 * on the app's loop thread and returns at once, blocking work going to virtual threads.
 */
final class ServiceHost {
    private static final Logger LOG = Logger.getLogger(ServiceHost.class);
    static final int MAX_LOG_LINE = 16_384;

    private final ServiceBackend backend;
    private final StartGate gate;
    private final ServiceTimers timers;
    private final ServiceDatabase database;
    private final ServiceDatabase.Results results;
    private final ServiceHttp http;
    private final Map<String, ServiceConnection> sessions;
    private final Set<String> apis = ConcurrentHashMap.newKeySet();

    ServiceHost(
            ServiceBackend backend,
            StartGate gate,
            ServiceTimers timers,
            ServiceDatabase database,
            ServiceDatabase.Results results,
            ServiceHttp http,
            Map<String, ServiceConnection> sessions) {
        this.backend = backend;
        this.gate = gate;
        this.timers = timers;
        this.database = database;
        this.results = results;
        this.http = http;
        this.sessions = sessions;
    }

    /** The API names the service's JsonApi objects claim ("" for the unnamed one). */
    Set<String> apis() {
        return apis;
    }

    ProxyObject proxy() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("log", call(args -> log(args[0].asString(), args[1].asString())));
        members.put("setTimer", call(args -> {
            long id = args[0].asLong();
            long delay = args[1].asLong();
            gate.launch(() -> timers.set(id, delay));
        }));
        members.put("clearTimer", call(args -> {
            long id = args[0].asLong();
            gate.launch(() -> timers.clear(id));
        }));
        members.put(
                "query",
                call(args -> query(
                        args[0].asLong(),
                        args[1].asLong(),
                        args[2].asString(),
                        args[3].asString(),
                        args[4].asString())));
        members.put("begin", call(args -> {
            ServiceDatabase.Transaction tx = database.open(args[0].asLong());
            gate.launch(() -> database.start(tx));
        }));
        members.put("end", call(args -> database.end(args[1].asLong(), args[0].asLong(), args[2].asBoolean())));
        members.put("saveConfig", call(args -> {
            long operation = args[0].asLong();
            String changes = args[1].asString();
            gate.launch(() -> Thread.ofVirtual().name("sf-app-config").start(() -> saveConfig(operation, changes)));
        }));
        members.put("registerApi", call(args -> apis.add(args[0].asString())));
        members.put("send", (ProxyExecutable) args -> send(args[0].asString(), args[1].asString()));
        members.put("closeSession", call(args -> {
            ServiceConnection connection = sessions.get(args[0].asString());
            if (connection != null) {
                connection.close();
            }
        }));
        members.put("addRoute", call(args -> http.addPrefix(args[0].asString())));
        members.put(
                "respond",
                call(args -> http.respond(args[0].asLong(), args[1].asInt(), args[2].asString(), args[3].asString())));
        members.put("hash", (ProxyExecutable)
                args -> ServiceCrypto.hash(args[0].asString(), args[1].asString(), args[2].asString()));
        members.put("hmac", (ProxyExecutable) args ->
                ServiceCrypto.hmac(args[0].asString(), args[1].asString(), args[2].asString(), args[3].asString()));
        members.put("randomUUID", (ProxyExecutable) args -> ServiceCrypto.randomUUID());
        members.put("randomBytes", (ProxyExecutable) args -> ServiceCrypto.randomBytes(args[0].asInt()));
        return ProxyObject.fromMap(members);
    }

    void log(String level, String line) {
        String bounded = line.length() > MAX_LOG_LINE
                ? line.substring(0, MAX_LOG_LINE) + " ... (" + line.length() + " characters)"
                : line;
        try {
            backend.log(level, bounded);
        } catch (RuntimeException e) {
            LOG.warnf("the log of %s refused a line: %s", backend.schema().appName(), e.toString());
        }
    }

    private void query(long operation, long transaction, String kind, String sql, String paramsJson) {
        Query query = new Query("insert".equals(kind) ? Kind.INSERT : Kind.EXEC, sql, ServiceJson.read(paramsJson));
        if (transaction == 0) {
            gate.launch(() -> database.query(operation, query));
        } else {
            database.queryIn(transaction, operation, query);
        }
    }

    private boolean send(String sessionId, String messageJson) {
        ServiceConnection connection = sessions.get(sessionId);
        if (connection == null) {
            return false;
        }
        connection.send((ObjectNode) ServiceJson.read(messageJson));
        return true;
    }

    /** Writes through the platform (which validates and tells everyone), then reads the values back. */
    private void saveConfig(long operation, String changesJson) {
        try {
            Map<String, JsonNode> changes = new LinkedHashMap<>();
            ServiceJson.read(changesJson).properties().forEach(e -> changes.put(e.getKey(), e.getValue()));
            backend.saveConfig(changes);
            results.succeeded(operation, ServiceJson.objectOf(backend.configValues()));
        } catch (IllegalArgumentException e) {
            results.failed(operation, e.getMessage(), null);
        } catch (SQLException e) {
            results.failed(operation, "the config could not be saved: " + ServiceSql.describe(e), e.getSQLState());
        } catch (RuntimeException e) {
            LOG.warnf(e, "saving the config of %s failed", backend.schema().appName());
            results.failed(operation, "the config could not be saved: " + e.getMessage(), null);
        }
    }

    private interface VoidCall {
        void run(Value[] args);
    }

    private static ProxyExecutable call(VoidCall body) {
        return args -> {
            body.run(args);
            return null;
        };
    }
}
