package io.scriptforge.runner.warmup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.RoutingPriority;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.ScriptCompiler;
import io.scriptforge.syntax.LocatedError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The runner's built-in warm-up Script ({@code scriptforge/warm-up.js}): compiled like a tenant's Script,
 * but never put in the registry, so no client lists it, requires it or reaches it by UUID, and its UUID is
 * drawn anew by every runner process.
 */
final class WarmUpScript {
    static final String NAMESPACE = "scriptforge-warm-up";
    static final String NAME = "warm-up";
    static final String SOURCE = "scriptforge:built-in/warm-up.js";
    /**
     * Objects in each round's request body: a few hundred in one round, as a JSON-heavy Script handles,
     * and ten in the others, so that a cold runner (Truffle's interpreter itself still interpreted by
     * HotSpot) gets through many invocations: the per-invocation path, which every Script takes, warms
     * as much as the JSON. Eight rounds, one per kind of answer the script gives (text, JSON, 204, errors).
     */
    static final int[] ITEMS = {250, 10, 10, 10, 10, 10, 10, 10};

    private WarmUpScript() {}

    /** The built-in Script as the gateway serves it to the warm-up alone. */
    static ScriptRegistry.Entry compile(ScriptCompiler compiler, Duration timeout) {
        Script script = new Script();
        String uuid = UUID.randomUUID().toString();
        script.setMetadata(
                new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(NAME).build());
        ScriptSpec spec = new ScriptSpec();
        spec.setType(ScriptType.SCRIPT);
        spec.setUuid(uuid);
        spec.setCode(code());
        spec.setTimeout(timeout.toMillis() + "ms");
        script.setSpec(spec);
        try {
            return new ScriptRegistry.Entry(
                    SOURCE,
                    0,
                    NAMESPACE,
                    NAME,
                    uuid,
                    ScriptType.SCRIPT,
                    compiler.compile(script),
                    null,
                    RoutingPriority.DISABLED,
                    null,
                    io.scriptforge.runner.registry.InvokeAccess.OPEN);
        } catch (LocatedError e) {
            throw new IllegalStateException("the built-in warm-up Script does not compile: " + e.getMessage(), e);
        }
    }

    /** Request bodies {@code {round, name, items}}, one per round. */
    static List<String> bodies(ObjectMapper json) {
        List<String> bodies = new ArrayList<>();
        for (int round = 0; round < ITEMS.length; round++) {
            ObjectNode body = json.createObjectNode().put("round", round).put("name", "warm-up");
            ArrayNode items = body.putArray("items");
            for (int i = 0; i < ITEMS[round]; i++) {
                ObjectNode item = items.addObject().put("id", i).put("name", "item-" + i);
                item.putArray("tags").add("t" + i % 7).add("t" + i % 11).add("x");
                item.putObject("nested")
                        .put("a", i * 2)
                        .put("b", "x" + i % 100)
                        .putObject("c")
                        .put("flag", i % 3 == 0)
                        .putArray("pair")
                        .add(i)
                        .add(i + 1);
            }
            try {
                bodies.add(json.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(bodies);
    }

    private static String code() {
        try (InputStream in = WarmUpScript.class.getClassLoader().getResourceAsStream("scriptforge/warm-up.js")) {
            if (in == null) {
                throw new IllegalStateException("missing resource scriptforge/warm-up.js");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
