package io.scriptforge.runner.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.invoke.KvGlobal;
import io.scriptforge.sandbox.CompiledScript;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/** The host side of the scripts' {@code kv} global: each Script reaches its own namespace's keys only. */
public final class ScriptKv implements KvGlobal {
    private static final Logger LOG = Logger.getLogger(ScriptKv.class);

    private final KvStore store;
    private final ObjectMapper json;

    public ScriptKv(KvStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public String call(CompiledScript script, String op, String key, String arg, long ttlMillis) {
        String namespace = script.namespace();
        try {
            return switch (op) {
                case "get" -> store.get(namespace, key).map(v -> "V" + v).orElse("U");
                case "set" -> {
                    store.set(namespace, key, arg, ttlMillis < 0 ? null : Duration.ofMillis(ttlMillis));
                    yield "U";
                }
                case "incr" -> "V" + store.incr(namespace, key, Long.parseLong(arg));
                case "delete" -> "V" + store.delete(namespace, key);
                case "keys" -> "V" + json.writeValueAsString(store.keys(namespace, arg, KvStore.MAX_KEYS));
                default -> "Ekv: no operation '" + op + "'";
            };
        } catch (KvException e) {
            return "E" + e.getMessage();
        } catch (SQLException | RuntimeException | JsonProcessingException e) {
            LOG.warnf("kv.%s of %s failed: %s", op, script.qualifiedName(), e.getMessage());
            return "Ekv." + op + " failed: " + e.getMessage();
        }
    }
}
