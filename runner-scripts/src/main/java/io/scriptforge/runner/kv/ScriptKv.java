package io.scriptforge.runner.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.invoke.KvGlobal;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.bridge.HostFailure;
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
                case "get" -> store.get(namespace, key).orElse(null);
                case "set" -> {
                    store.set(namespace, key, arg, ttlMillis < 0 ? null : Duration.ofMillis(ttlMillis));
                    yield null;
                }
                case "incr" -> String.valueOf(store.incr(namespace, key, Long.parseLong(arg)));
                case "delete" -> String.valueOf(store.delete(namespace, key));
                case "keys" -> json.writeValueAsString(store.keys(namespace, arg, KvStore.MAX_KEYS));
                default -> throw new KvException("kv: no operation '" + op + "'");
            };
        } catch (KvException e) {
            throw new HostFailure(e.getMessage());
        } catch (SQLException | RuntimeException | JsonProcessingException e) {
            LOG.warnf("kv.%s of %s failed: %s", op, script.qualifiedName(), e.getMessage());
            throw new HostFailure("kv." + op + " failed: " + e.getMessage());
        }
    }
}
