package io.scriptforge.runner.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import io.scriptforge.manifest.AppManifest.ConfigMode;
import io.scriptforge.manifest.AppManifest.ItemType;
import io.scriptforge.manifest.Mode;
import io.scriptforge.runner.app.files.TestAppSchemas;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ADMIN = Set.of("owner", "admin");
    private static final Set<String> OWNER = Set.of("owner");

    /** port INT 1..10 (5), count DWORD, flag BOOL (false), color CHOICE (red), title STRING, secret password (hunter2). */
    private static final AppManifest MANIFEST = manifest(
            List.of(
                    new ConfigItem(
                            "port", ItemType.INT, IntNode.valueOf(5), false, BigInteger.ONE, BigInteger.TEN, List.of()),
                    new ConfigItem("count", ItemType.DWORD, null, false, null, null, List.of()),
                    new ConfigItem("flag", ItemType.BOOL, BooleanNode.FALSE, false, null, null, List.of()),
                    new ConfigItem(
                            "color",
                            ItemType.CHOICE,
                            TextNode.valueOf("red"),
                            false,
                            null,
                            null,
                            List.of("red", "green")),
                    new ConfigItem("title", ItemType.STRING, null, false, null, null, List.of()),
                    new ConfigItem(
                            "secret", ItemType.STRING, TextNode.valueOf("hunter2"), true, null, null, List.of())),
            List.of(
                    new ConfigMode(Mode.parse("owner.admin"), true, true),
                    new ConfigMode(Mode.parse("owner"), true, false)));

    private final RunnerDatabase db = TestDatabase.shared();
    private final ConfigStore config = new ConfigStore(db);
    private AppSchema app;

    @BeforeEach
    void freshApp() throws SQLException {
        app = TestAppSchemas.fresh(db, "config");
    }

    @Test
    void itemsHaveTheirDefaultsUntilWritten() throws Exception {
        Map<String, JsonNode> values = config.values(app, MANIFEST);

        assertThat(values).containsOnlyKeys("port", "count", "flag", "color", "title", "secret");
        assertThat(values.keySet()).containsExactly("port", "count", "flag", "color", "title", "secret");
        assertThat(values.get("port")).isEqualTo(IntNode.valueOf(5));
        assertThat(values.get("flag")).isEqualTo(BooleanNode.FALSE);
        assertThat(values.get("color")).isEqualTo(TextNode.valueOf("red"));
        assertThat(values.get("secret")).as("the service sees passwords").isEqualTo(TextNode.valueOf("hunter2"));
        assertThat(values.get("count")).as("no default, never written").isNull();
        assertThat(values.get("title")).isNull();
    }

    @Test
    void writtenValuesAreReadBackNormalized() throws Exception {
        List<String> changed = config.write(
                app,
                MANIFEST,
                ADMIN,
                json(
                        "{\"title\": {\"value\": \"Hello\"}, \"port\": \"7\", \"flag\": \"true\", \"count\": 4000000000}"));

        assertThat(changed).containsExactly("port", "count", "flag", "title");
        Map<String, JsonNode> values = config.values(app, MANIFEST);
        assertThat(values.get("port")).isEqualTo(IntNode.valueOf(7));
        assertThat(values.get("count").longValue()).isEqualTo(4_000_000_000L);
        assertThat(values.get("flag")).isEqualTo(BooleanNode.TRUE);
        assertThat(values.get("title")).isEqualTo(TextNode.valueOf("Hello"));

        ObjectNode seen = config.readForSession(app, MANIFEST, OWNER);
        assertThat(seen.get("port"))
                .isEqualTo(json("{\"type\": \"INT\", \"value\": 7, \"default\": 5, \"min\": 1, \"max\": 10}"));
        assertThat(seen.get("color"))
                .isEqualTo(
                        json(
                                "{\"type\": \"CHOICE\", \"value\": \"red\", \"default\": \"red\", \"options\": [\"red\", \"green\"]}"));
        assertThat(seen.get("count")).isEqualTo(json("{\"type\": \"DWORD\", \"value\": 4000000000}"));
    }

    @Test
    void aNumberOutsideItsRangeIsRefused() throws Exception {
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"port\": 11}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config not saved: port: 11 is out of range [1, 10]");
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"count\": -1}")))
                .hasMessage("config not saved: count: -1 is out of range [0, 4294967295]");
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"port\": 2.5}")))
                .hasMessage("config not saved: port: '2.5' is not a whole number");
        assertThat(TestAppSchemas.rows(db, app, "sf_config")).isZero();
    }

    @Test
    void aChoiceMustBeOneOfItsOptions() throws Exception {
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"color\": \"blue\"}")))
                .hasMessage("config not saved: color: 'blue' is not one of [red, green]");

        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"color\": \"green\"}")))
                .containsExactly("color");
        assertThat(config.values(app, MANIFEST).get("color")).isEqualTo(TextNode.valueOf("green"));
    }

    @Test
    void aBoolIsTrueOrFalse() throws Exception {
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"flag\": \"yes\"}")))
                .hasMessage("config not saved: flag: 'yes' is not true or false");

        config.write(app, MANIFEST, ADMIN, json("{\"flag\": true}"));
        assertThat(config.values(app, MANIFEST).get("flag")).isEqualTo(BooleanNode.TRUE);
    }

    @Test
    void anUnknownItemIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"colour\": \"red\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "config not saved: 'colour' is not a config item of this app (known: port, count, flag, color, title, secret)");
    }

    @Test
    void configItemsMustBeAnObject() {
        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("[1, 2]")))
                .hasMessage(
                        "ConfigItems must be an object of {\"<item>\": value} (or {\"<item>\": {\"value\": value}})");
    }

    @Test
    void nothingIsWrittenWhenOneValueOfSeveralIsBad() throws Exception {
        assertThatThrownBy(() -> config.write(
                        app,
                        MANIFEST,
                        ADMIN,
                        json("{\"port\": 7, \"title\": \"ok\", \"count\": -1, \"flag\": \"maybe\"}")))
                .hasMessage(
                        "config not saved: count: -1 is out of range [0, 4294967295]; flag: 'maybe' is not true or false");

        assertThat(TestAppSchemas.rows(db, app, "sf_config")).isZero();
        assertThat(config.values(app, MANIFEST).get("port")).isEqualTo(IntNode.valueOf(5));
    }

    @Test
    void aPasswordIsNeverShownToClients() throws Exception {
        config.write(app, MANIFEST, ADMIN, json("{\"secret\": \"s3cret-value\"}"));

        ObjectNode seen = config.readForSession(app, MANIFEST, ADMIN);

        assertThat(seen.get("secret")).isEqualTo(json("{\"type\": \"STRING\", \"password\": true}"));
        assertThat(seen.toString()).doesNotContain("s3cret-value").doesNotContain("hunter2");
        assertThat(config.values(app, MANIFEST).get("secret")).isEqualTo(TextNode.valueOf("s3cret-value"));
    }

    @Test
    void aPasswordWrittenEmptyKeepsItsValue() throws Exception {
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"secret\": \"s3cret\"}")))
                .containsExactly("secret");

        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"secret\": \"\", \"port\": 3}")))
                .containsExactly("port");
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"secret\": null}")))
                .isEmpty();
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"secret\": {\"value\": \"\"}}")))
                .isEmpty();

        assertThat(config.values(app, MANIFEST).get("secret")).isEqualTo(TextNode.valueOf("s3cret"));
    }

    @Test
    void readingNeedsAGrantedReadMode() throws Exception {
        assertThatThrownBy(() -> config.readForSession(app, MANIFEST, Set.of()))
                .isInstanceOf(ConfigRefused.class)
                .hasMessage("reading the config needs mode owner.admin or owner; this session holds no mode");
        assertThatThrownBy(() -> config.readForSession(app, MANIFEST, Set.of("admin")))
                .isInstanceOf(ConfigRefused.class)
                .hasMessage("reading the config needs mode owner.admin or owner; this session holds mode admin");
        assertThat(config.mayRead(MANIFEST, OWNER)).isTrue();
        assertThat(config.mayRead(MANIFEST, Set.of("admin"))).isFalse();
        assertThat(config.readForSession(app, MANIFEST, OWNER).has("port")).isTrue();
    }

    @Test
    void withoutConfigModesNoSessionMayReadOrWrite() {
        AppManifest noModes = manifest(MANIFEST.configItems(), List.of());

        assertThat(config.mayRead(noModes, ADMIN)).isFalse();
        assertThatThrownBy(() -> config.readForSession(app, noModes, ADMIN))
                .isInstanceOf(ConfigRefused.class)
                .hasMessage("reading the config is not allowed: the app declares no config mode with read: true");
        assertThatThrownBy(() -> config.write(app, noModes, ADMIN, json("{\"port\": 3}")))
                .isInstanceOf(ConfigRefused.class)
                .hasMessage("writing the config is not allowed: the app declares no config mode with write: true");
    }

    @Test
    void writingNeedsAGrantedWriteMode() throws Exception {
        assertThatThrownBy(() -> config.write(app, MANIFEST, OWNER, json("{\"port\": 3}")))
                .isInstanceOf(ConfigRefused.class)
                .hasMessage("writing the config needs mode owner.admin; this session holds mode owner");

        assertThat(config.mayWrite(MANIFEST, OWNER)).isFalse();
        assertThat(config.mayWrite(MANIFEST, ADMIN)).isTrue();
        assertThat(TestAppSchemas.rows(db, app, "sf_config")).isZero();
    }

    @Test
    void onlyValuesThatDifferAreReportedChanged() throws Exception {
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"port\": 5, \"color\": \"red\"}")))
                .as("the defaults, written explicitly")
                .isEmpty();
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"port\": 6, \"color\": \"red\"}")))
                .containsExactly("port");
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"port\": \"6\"}")))
                .as("the same number as text")
                .isEmpty();
        assertThat(config.write(app, MANIFEST, ADMIN, json("{\"color\": \"green\", \"port\": 5}")))
                .containsExactly("port", "color");
    }

    @Test
    void theHookRunsInTheTransactionOnlyWhenSomethingChanged() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        TransactionHook record = (tx, changed) -> calls.add(changed);

        config.write(app, MANIFEST, ADMIN, json("{\"port\": 8, \"title\": \"t\"}"), record);
        config.write(app, MANIFEST, ADMIN, json("{\"port\": 8}"), record);

        assertThat(calls).containsExactly(List.of("port", "title"));
    }

    @Test
    void aFailingHookUndoesTheWrite() throws Exception {
        TransactionHook failing = (tx, changed) -> {
            throw new SQLException("cannot publish");
        };

        assertThatThrownBy(() -> config.write(app, MANIFEST, ADMIN, json("{\"port\": 8}"), failing))
                .hasMessage("cannot publish");
        assertThat(TestAppSchemas.rows(db, app, "sf_config")).isZero();
    }

    @Test
    void theServiceWritesWithoutModesAndSetsPasswordsAsGiven() throws Exception {
        AppManifest noModes = manifest(MANIFEST.configItems(), List.of());
        Map<String, JsonNode> values = new HashMap<>();
        values.put("secret", TextNode.valueOf(""));
        values.put("port", IntNode.valueOf(9));

        List<String> changed = config.write(app, noModes, values, null);

        assertThat(changed).containsExactly("port", "secret");
        assertThat(config.values(app, noModes).get("secret")).isEqualTo(TextNode.valueOf(""));
        assertThatThrownBy(() -> config.write(app, noModes, Map.of("port", IntNode.valueOf(0)), null))
                .hasMessage("config not saved: port: 0 is out of range [1, 10]");
    }

    @Test
    void aStoredValueTheItemNoLongerAcceptsGivesWayToTheDefault() throws Exception {
        config.write(app, MANIFEST, ADMIN, json("{\"port\": 9}"));
        List<ConfigItem> narrowed = new ArrayList<>(MANIFEST.configItems());
        narrowed.set(
                0,
                new ConfigItem(
                        "port",
                        ItemType.INT,
                        IntNode.valueOf(2),
                        false,
                        BigInteger.ONE,
                        BigInteger.valueOf(4),
                        List.of()));

        assertThat(config.values(app, manifest(narrowed, MANIFEST.configModes()))
                        .get("port"))
                .isEqualTo(IntNode.valueOf(2));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AppManifest manifest(List<ConfigItem> items, List<ConfigMode> modes) {
        return new AppManifest(
                "test",
                "config-app",
                "example.com",
                "pw",
                List.of(),
                List.of(),
                Map.of(),
                items,
                modes,
                List.of(),
                List.of(),
                null,
                null,
                null,
                null);
    }
}
