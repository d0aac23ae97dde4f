package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.service.ServiceSql.Kind;
import io.scriptforge.runner.app.service.ServiceSql.Query;
import io.scriptforge.sandbox.HostCrypto;
import io.scriptforge.sandbox.bridge.HostBridge;
import io.scriptforge.sandbox.bridge.Param;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Value;
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
    private static final HexFormat HEX = HexFormat.of();

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

    /** The {@code host} object of app-service.js, each function declared once (see {@link HostBridge}). */
    ProxyObject bridge(Value kernel) {
        Param<Long> operation = Param.longInteger("operation");
        Param<Long> transaction = Param.longInteger("transaction");
        Param<Long> timer = Param.longInteger("id");
        Param<String> session = Param.string("sessionId");
        Param<String> algorithm = Param.string("algorithm");
        Param<String> encoding = Param.string("encoding");
        return new HostBridge("host", kernel)
                .procedure("log", Param.string("level"), Param.string("line"), this::log)
                .procedure(
                        "setTimer",
                        timer,
                        Param.longInteger("delayMillis"),
                        (id, delay) -> gate.launch(() -> timers.set(id, delay)))
                .procedure("clearTimer", timer, id -> gate.launch(() -> timers.clear(id)))
                .procedure(
                        "query",
                        operation,
                        transaction,
                        Param.string("kind"),
                        Param.string("sql"),
                        Param.string("paramsJson"),
                        this::query)
                .procedure("begin", transaction, tx -> {
                    ServiceDatabase.Transaction opened = database.open(tx);
                    gate.launch(() -> database.start(opened));
                })
                .procedure(
                        "end",
                        operation,
                        transaction,
                        Param.bool("commit"),
                        (op, tx, commit) -> database.end(tx, op, commit))
                .procedure(
                        "saveConfig",
                        operation,
                        Param.string("changesJson"),
                        (op, changes) -> gate.launch(
                                () -> Thread.ofVirtual().name("sf-app-config").start(() -> saveConfig(op, changes))))
                .procedure("registerApi", Param.string("api"), apis::add)
                .function("send", session, Param.string("messageJson"), this::send)
                .procedure("closeSession", session, id -> {
                    ServiceConnection connection = sessions.get(id);
                    if (connection != null) {
                        connection.close();
                    }
                })
                .procedure("addRoute", Param.string("prefix"), http::addPrefix)
                .procedure(
                        "respond",
                        Param.longInteger("requestId"),
                        Param.integer("status"),
                        Param.string("headersJson"),
                        Param.string("body"),
                        http::respond)
                .function(
                        "hash",
                        algorithm,
                        Param.string("data"),
                        encoding,
                        (alg, data, enc) -> encode(HostCrypto.digest(alg, utf8(data)), enc))
                .function(
                        "hmac",
                        algorithm,
                        Param.string("key"),
                        Param.string("data"),
                        encoding,
                        (alg, key, data, enc) -> encode(HostCrypto.hmac(alg, utf8(key), utf8(data)), enc))
                .function("randomUUID", () -> UUID.randomUUID().toString())
                .function("randomBytes", Param.integer("count"), count -> HEX.formatHex(HostCrypto.random(count)))
                .build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The service library's encodings: hex (its default) or base64. */
    private static String encode(byte[] bytes, String encoding) {
        return "base64".equals(encoding) ? Base64.getEncoder().encodeToString(bytes) : HEX.formatHex(bytes);
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
}
