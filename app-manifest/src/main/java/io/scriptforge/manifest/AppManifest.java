package io.scriptforge.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An App as the runner serves it: its resource's manifest, checked and typed, with its password and
 * files resolved. Built by {@link AppManifestParser}; immutable.
 */
public record AppManifest(
        String namespace,
        String name,
        String domain,
        /* The app password from its Secret; null when none is set (then every login is refused). */
        String password,
        List<Table> tables,
        List<String> sequences,
        /* Statements by name; each list holds the mode-less fallback (if any) and the moded variants. */
        Map<String, List<Statement>> statements,
        List<ConfigItem> configItems,
        List<ConfigMode> configModes,
        List<FileStore> fileStores,
        /* The service files to evaluate at start, expanded and in order. */
        List<String> evalFiles,
        AppFiles files,
        JsonNode apis,
        JsonNode serviceApis,
        JsonNode plugins) {

    public String qualifiedName() {
        return namespace + "/" + name;
    }

    public Optional<FileStore> fileStore(String storeName) {
        return fileStores.stream().filter(s -> s.name().equals(storeName)).findFirst();
    }

    public Optional<ConfigItem> configItem(String itemName) {
        return configItems.stream().filter(i -> i.name().equals(itemName)).findFirst();
    }

    /** A table: created when missing; columns added when new; never dropped or narrowed. */
    public record Table(String name, List<Column> columns, List<Constraint> constraints, List<Index> indexes) {}

    /** {@code type} is the SQL after the name, e.g. {@code BIGSERIAL PRIMARY KEY} or {@code VARCHAR(200) NOT NULL}. */
    public record Column(String name, String type) {}

    /** {@code definition}: the SQL after {@code CONSTRAINT name}, e.g. {@code UNIQUE (sip)}. */
    public record Constraint(String name, String definition) {}

    /** {@code columns}: the indexed column list, e.g. {@code sip, id}. */
    public record Index(String name, String columns, boolean unique) {}

    /** A prepared statement; {@code mode} null for the fallback every session may use. */
    public record Statement(String name, Mode mode, String query, List<Arg> args, String monitor, String returns) {}

    /** An argument in binding order. Names starting with {@code @} are filled by the server. */
    public record Arg(String name, ArgType type) {
        public boolean serverFilled() {
            return name.startsWith("@");
        }
    }

    public enum ArgType {
        STRING,
        INT,
        UNSIGNED,
        LONG,
        ULONG64,
        BOOL;

        public static ArgType parse(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A config item; {@code min}/{@code max} only for the numeric types, {@code options} for CHOICE. */
    public record ConfigItem(
            String name,
            ItemType type,
            JsonNode defaultValue,
            boolean password,
            BigInteger min,
            BigInteger max,
            List<String> options) {}

    public enum ItemType {
        CHOICE,
        BOOL,
        INT,
        DWORD,
        LONG64,
        ULONG64,
        STRING
    }

    /** Who may read and write the config: sessions holding {@code mode}. */
    public record ConfigMode(Mode mode, boolean read, boolean write) {}

    /** A named file store; {@code folderType} is the SQL type of the folder reference (e.g. BIGINT). */
    public record FileStore(String name, String folderType) {}
}
