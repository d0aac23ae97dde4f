package io.scriptforge.runner.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import io.scriptforge.manifest.AppManifest.ConfigMode;
import io.scriptforge.manifest.ConfigValues;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An app's config items (manifest {@code config.init}): values kept in {@code sf_config} as JSONB,
 * an item never written having its default. Clients read and write them only through a config mode
 * granted to their session (none granted: refused); the app's own service is trusted.
 */
public final class ConfigStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunnerDatabase db;

    public ConfigStore(RunnerDatabase db) {
        this.db = db;
    }

    /**
     * Every item's value, in manifest order, passwords included: the stored one, else the default,
     * else null. A stored value the item no longer accepts (its manifest changed) gives way to the default.
     */
    public Map<String, JsonNode> values(AppSchema schema, AppManifest manifest) throws SQLException {
        Map<String, JsonNode> stored = db.inApp(schema, tx -> stored(tx, null));
        return effective(manifest, stored);
    }

    /**
     * The ConfigItems object a client sees: per item its type, value, default, min, max and options;
     * a password item shows {@code "password": true} and neither its value nor its default.
     *
     * @throws ConfigRefused unless a config mode with {@code read: true} is granted to {@code modes}
     */
    public ObjectNode readForSession(AppSchema schema, AppManifest manifest, Set<String> modes)
            throws ConfigRefused, SQLException {
        if (!mayRead(manifest, modes)) {
            throw new ConfigRefused(refusal("reading", "read", manifest, modes, ConfigMode::read));
        }
        Map<String, JsonNode> values = values(schema, manifest);
        ObjectNode items = JSON.createObjectNode();
        for (ConfigItem item : manifest.configItems()) {
            ObjectNode shown = items.putObject(item.name());
            shown.put("type", item.type().name());
            if (item.password()) {
                shown.put("password", true);
            } else {
                putIfPresent(shown, "value", values.get(item.name()));
                putIfPresent(shown, "default", defaultOf(item));
            }
            if (item.min() != null) {
                shown.set("min", number(item.min()));
            }
            if (item.max() != null) {
                shown.set("max", number(item.max()));
            }
            if (!item.options().isEmpty()) {
                ArrayNode options = shown.putArray("options");
                item.options().forEach(options::add);
            }
        }
        return items;
    }

    /** Whether a session holding {@code modes} may read the config (and so be told of its changes). */
    public boolean mayRead(AppManifest manifest, Set<String> modes) {
        return granted(manifest, modes, ConfigMode::read);
    }

    /** Whether a session holding {@code modes} may write the config. */
    public boolean mayWrite(AppManifest manifest, Set<String> modes) {
        return granted(manifest, modes, ConfigMode::write);
    }

    /** A client's WriteConfig, without a hook: see {@link #write(AppSchema, AppManifest, Set, JsonNode, TransactionHook)}. */
    public List<String> write(AppSchema schema, AppManifest manifest, Set<String> modes, JsonNode configItems)
            throws ConfigRefused, SQLException {
        return write(schema, manifest, modes, configItems, null);
    }

    /**
     * Writes a client's WriteConfig {@code ConfigItems} ({@code {name: value}} or
     * {@code {name: {"value": value}}}) in one transaction, after checking every value. A password
     * item given as null or "" keeps its value: clients never see it, so they send it back empty.
     *
     * @param hook called before commit when something changed; may be null
     * @return the names of the items whose value changed, in manifest order
     * @throws ConfigRefused            unless a config mode with {@code write: true} is granted to {@code modes}
     * @throws IllegalArgumentException naming each refused value or unknown item (nothing is written)
     */
    public List<String> write(
            AppSchema schema, AppManifest manifest, Set<String> modes, JsonNode configItems, TransactionHook hook)
            throws ConfigRefused, SQLException {
        if (!mayWrite(manifest, modes)) {
            throw new ConfigRefused(refusal("writing", "write", manifest, modes, ConfigMode::write));
        }
        return save(schema, manifest, fromClient(manifest, configItems), hook);
    }

    /**
     * Writes values for the app's own service (trusted: no mode check, password values as given),
     * in one transaction, after checking every value.
     *
     * @param hook called before commit when something changed; may be null
     * @return the names of the items whose value changed, in manifest order
     * @throws IllegalArgumentException naming each refused value or unknown item (nothing is written)
     */
    public List<String> write(
            AppSchema schema, AppManifest manifest, Map<String, JsonNode> values, TransactionHook hook)
            throws SQLException {
        return save(schema, manifest, values, hook);
    }

    private List<String> save(
            AppSchema schema, AppManifest manifest, Map<String, JsonNode> values, TransactionHook hook)
            throws SQLException {
        Map<String, JsonNode> accepted = validated(manifest, values);
        if (accepted.isEmpty()) {
            return List.of();
        }
        return db.inApp(schema, tx -> {
            Map<String, JsonNode> before = effective(manifest, stored(tx, accepted.keySet()));
            upsert(tx, accepted);
            List<String> changed = manifest.configItems().stream()
                    .map(ConfigItem::name)
                    .filter(name -> accepted.containsKey(name) && !Objects.equals(accepted.get(name), before.get(name)))
                    .toList();
            if (!changed.isEmpty() && hook != null) {
                hook.beforeCommit(tx, changed);
            }
            return changed;
        });
    }

    /** The client's items as name → value, without the password items it left empty. */
    private static Map<String, JsonNode> fromClient(AppManifest manifest, JsonNode configItems) {
        if (configItems == null || !configItems.isObject()) {
            throw new IllegalArgumentException(
                    "ConfigItems must be an object of {\"<item>\": value} (or {\"<item>\": {\"value\": value}})");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : configItems.properties()) {
            JsonNode value = field.getValue();
            if (value.isObject() && value.has("value")) {
                value = value.get("value");
            }
            boolean leftEmpty = value == null
                    || value.isNull()
                    || (value.isTextual() && value.asText().isEmpty());
            if (leftEmpty
                    && manifest.configItem(field.getKey())
                            .map(ConfigItem::password)
                            .orElse(false)) {
                continue;
            }
            values.put(field.getKey(), value);
        }
        return values;
    }

    /**
     * Every value in its canonical form.
     *
     * @throws IllegalArgumentException listing every unknown item and refused value
     */
    private static Map<String, JsonNode> validated(AppManifest manifest, Map<String, JsonNode> values) {
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        values.forEach((name, value) -> {
            Optional<ConfigItem> item = manifest.configItem(name);
            if (item.isEmpty()) {
                problems.add("'" + name + "' is not a config item of this app (known: "
                        + manifest.configItems().stream().map(ConfigItem::name).collect(Collectors.joining(", "))
                        + ")");
                return;
            }
            try {
                accepted.put(name, canonical(ConfigValues.normalize(item.get(), value)));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("config not saved: " + String.join("; ", problems));
        }
        return accepted;
    }

    /** Stored values by name: of {@code names} (locked for this transaction), or all when null. */
    private static Map<String, JsonNode> stored(Connection tx, Set<String> names) throws SQLException {
        String sql = names == null
                ? "SELECT name, value FROM sf_config"
                : "SELECT name, value FROM sf_config WHERE name = ANY (?) FOR UPDATE";
        Map<String, JsonNode> stored = new HashMap<>();
        try (PreparedStatement st = tx.prepareStatement(sql)) {
            if (names != null) {
                st.setArray(1, tx.createArrayOf("text", names.toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), parse(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return stored;
    }

    private static void upsert(Connection tx, Map<String, JsonNode> values) throws SQLException {
        try (PreparedStatement st =
                tx.prepareStatement("INSERT INTO sf_config (name, value) VALUES (?, CAST(? AS jsonb))"
                        + " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, modified = now()"
                        + " WHERE sf_config.value IS DISTINCT FROM EXCLUDED.value")) {
            for (Map.Entry<String, JsonNode> value : values.entrySet()) {
                st.setString(1, value.getKey());
                st.setString(2, value.getValue().toString());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** Each item's value in manifest order: stored (when the item still accepts it), else its default, else null. */
    private static Map<String, JsonNode> effective(AppManifest manifest, Map<String, JsonNode> stored) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (ConfigItem item : manifest.configItems()) {
            JsonNode value = stored.get(item.name());
            if (value != null && ConfigValues.problem(item, value) == null) {
                values.put(item.name(), canonical(ConfigValues.normalize(item, value)));
            } else {
                values.put(item.name(), defaultOf(item));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** The item's default in canonical form, or null when it has none. */
    private static JsonNode defaultOf(ConfigItem item) {
        JsonNode dflt = item.defaultValue();
        if (dflt == null || dflt.isNull() || dflt.isMissingNode()) {
            return null;
        }
        // The manifest parser refuses a default its item does not accept; keep such a one as written.
        return ConfigValues.problem(item, dflt) == null ? canonical(ConfigValues.normalize(item, dflt)) : dflt;
    }

    private static boolean granted(AppManifest manifest, Set<String> modes, Predicate<ConfigMode> right) {
        return manifest.configModes().stream()
                .anyMatch(m -> right.test(m) && m.mode().grantedTo(modes));
    }

    private static String refusal(
            String doing, String rightName, AppManifest manifest, Set<String> modes, Predicate<ConfigMode> right) {
        List<String> granting = manifest.configModes().stream()
                .filter(right)
                .map(m -> m.mode().text())
                .toList();
        if (granting.isEmpty()) {
            return doing + " the config is not allowed: the app declares no config mode with " + rightName + ": true";
        }
        String held = modes.isEmpty() ? "no mode" : "mode " + String.join(".", new TreeSet<>(modes));
        return doing + " the config needs mode " + String.join(" or ", granting) + "; this session holds " + held;
    }

    /** Numbers as the smallest node holding them, so equal values compare equal however they were made. */
    private static JsonNode canonical(JsonNode value) {
        return value.isBigInteger() ? number(value.bigIntegerValue()) : value;
    }

    private static JsonNode number(BigInteger value) {
        if (value.bitLength() < 32) {
            return IntNode.valueOf(value.intValue());
        }
        if (value.bitLength() < 64) {
            return LongNode.valueOf(value.longValue());
        }
        return JSON.getNodeFactory().numberNode(value);
    }

    private static void putIfPresent(ObjectNode object, String field, JsonNode value) {
        if (value != null) {
            object.set(field, value);
        }
    }

    private static JsonNode parse(String name, String json) throws SQLException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("sf_config holds no JSON for '" + name + "': " + e.getOriginalMessage(), e);
        }
    }
}
