package io.scriptforge.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.crd.InitCommand;
import io.scriptforge.crd.InitList;
import io.scriptforge.manifest.AppManifest.Arg;
import io.scriptforge.manifest.AppManifest.ArgType;
import io.scriptforge.manifest.AppManifest.Column;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import io.scriptforge.manifest.AppManifest.ConfigMode;
import io.scriptforge.manifest.AppManifest.Constraint;
import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.manifest.AppManifest.Index;
import io.scriptforge.manifest.AppManifest.ItemType;
import io.scriptforge.manifest.AppManifest.Statement;
import io.scriptforge.manifest.AppManifest.Table;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an App's spec the way config.json is read, into an {@link AppManifest}, and names every
 * problem with its place (spec.database.init[2].args...). The operator and the runner both use it,
 * so what the operator calls valid is what a runner can serve.
 */
public final class AppManifestParser {
    /** SQL identifiers we create: plain lowercase-friendly names, so they never need escaping tricks. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private static final Pattern ARG_NAME = Pattern.compile("@?[A-Za-z_][-A-Za-z0-9_]{0,62}");
    private static final List<String> DATABASE_CMDS =
            List.of("table", "column", "statement", "sequence", "index", "constraint");
    private static final List<String> TABLE_PART_CMDS = List.of("column", "index", "constraint");

    private final List<String> problems = new ArrayList<>();
    private final boolean argOrderKept;

    private AppManifestParser(boolean argOrderKept) {
        this.argOrderKept = argOrderKept;
    }

    /** The problems of a spec, without files or password (what the operator can check). */
    public static List<String> problems(AppSpec spec, boolean argOrderKept) {
        AppManifestParser parser = new AppManifestParser(argOrderKept);
        AppSpec checked = spec == null ? new AppSpec() : spec;
        parser.read(checked);
        if (checked.getHttpfilesConfigMap() == null) {
            // Inline files can be checked here; an httpfiles.zip only by the runner that unpacks it.
            parser.expandEval(checked, parser.files(checked, null));
        }
        return parser.problems;
    }

    /**
     * The manifest of {@code app}, with its {@code password} (null: none) and its files: inline ones
     * from the spec, or {@code httpfilesZip} when the spec names a ConfigMap holding one.
     *
     * @param argOrderKept false when the spec came through the Kubernetes API, which sorts an
     *                     object's keys: then statement args must be a list to have an order
     */
    public static AppManifest parse(App app, String password, byte[] httpfilesZip, boolean argOrderKept)
            throws AppManifestException {
        AppManifestParser parser = new AppManifestParser(argOrderKept);
        AppSpec spec = app.getSpec() == null ? new AppSpec() : app.getSpec();
        Parts parts = parser.read(spec);
        Map<String, byte[]> files = parser.files(spec, httpfilesZip);
        List<String> eval = parser.expandEval(spec, files);
        if (!parser.problems.isEmpty()) {
            throw new AppManifestException(parser.problems);
        }
        String namespace = app.getMetadata().getNamespace() == null
                ? "default"
                : app.getMetadata().getNamespace();
        return new AppManifest(
                namespace,
                app.getMetadata().getName(),
                spec.getDomain(),
                password,
                parts.tables,
                parts.sequences,
                parts.statements,
                parts.items,
                parts.modes,
                parts.stores,
                eval,
                new AppFiles(files, new HashSet<>(eval)),
                spec.getApis(),
                spec.getServiceApis(),
                spec.getPlugins());
    }

    private static final class Parts {
        final Map<String, Table> tableByName = new LinkedHashMap<>();
        /** Each relation name as PostgreSQL folds it, with what it names and where: "the index declared at spec...". */
        final Map<String, String> relations = new HashMap<>();

        final List<Table> tables = new ArrayList<>();
        final List<String> sequences = new ArrayList<>();
        final Map<String, List<Statement>> statements = new LinkedHashMap<>();
        final List<ConfigItem> items = new ArrayList<>();
        final List<ConfigMode> modes = new ArrayList<>();
        final List<FileStore> stores = new ArrayList<>();
    }

    private Parts read(AppSpec spec) {
        Parts parts = new Parts();
        each(spec.getDatabase(), "spec.database", (c, at) -> database(c, at, parts));
        each(spec.getConfig(), "spec.config", (c, at) -> config(c, at, parts));
        each(spec.getDbfiles(), "spec.dbfiles", (c, at) -> {
            if (!"start".equals(c.getCmd())) {
                problems.add(at + ".cmd: '" + c.getCmd() + "' is not a dbfiles command (use start)");
            } else if (identifier(c.getName(), at + ".name")) {
                String folder = text(c.field("folder"));
                if (folder == null) {
                    problems.add(at + ".folder is missing (the SQL type of the folder reference, e.g. BIGINT)");
                } else if (!folder.matches("(?i)(BIGINT|INTEGER|INT|SMALLINT|TEXT|VARCHAR\\(\\d+\\)|UUID)")) {
                    problems.add(at + ".folder: '" + folder
                            + "' is not a folder reference type (use BIGINT, INTEGER, TEXT, VARCHAR(n) or UUID)");
                } else if (parts.stores.stream().anyMatch(s -> s.name().equals(c.getName()))) {
                    problems.add(at + ".name: dbfiles '" + c.getName() + "' is declared twice");
                } else {
                    parts.stores.add(new FileStore(c.getName(), folder.toUpperCase(java.util.Locale.ROOT)));
                }
            }
        });
        for (Map.Entry<String, List<Statement>> named : parts.statements.entrySet()) {
            Set<String> modes = new HashSet<>();
            for (Statement s : named.getValue()) {
                if (!modes.add(s.mode() == null ? "" : s.mode().text())) {
                    problems.add("spec.database.init: statement '" + named.getKey() + "' is declared twice for "
                            + (s.mode() == null ? "no mode" : "mode " + s.mode().text()) + ": keep one");
                }
            }
        }
        return parts;
    }

    private void database(InitCommand c, String at, Parts parts) {
        if (!DATABASE_CMDS.contains(c.getCmd())) {
            problems.add(
                    at + ".cmd: '" + c.getCmd() + "' is not a database command (use one of " + DATABASE_CMDS + ")");
            return;
        }
        switch (c.getCmd()) {
            case "table" -> table(c, at, parts);
            case "statement" -> statement(c, at, parts);
            case "sequence" -> {
                if (identifier(c.getName(), at + ".name") && newRelation(parts, "sequence", c.getName(), at)) {
                    parts.sequences.add(c.getName());
                }
            }
            default -> {
                // column, index or constraint at the top level: names its table.
                String table = text(c.field("table"));
                if (table == null || !parts.tableByName.containsKey(table)) {
                    problems.add(at + ".table: a top-level " + c.getCmd()
                            + " must name a table declared before it (got " + quote(table) + ")");
                    return;
                }
                Table old = parts.tableByName.get(table);
                List<Column> columns = new ArrayList<>(old.columns());
                List<Constraint> constraints = new ArrayList<>(old.constraints());
                List<Index> indexes = new ArrayList<>(old.indexes());
                tablePart(c.getCmd(), c.getName(), c::field, at, parts, columns, constraints, indexes);
                Table updated = new Table(table, List.copyOf(columns), List.copyOf(constraints), List.copyOf(indexes));
                parts.tableByName.put(table, updated);
                parts.tables.set(parts.tables.indexOf(old), updated);
            }
        }
    }

    private void table(InitCommand c, String at, Parts parts) {
        if (!identifier(c.getName(), at + ".name")) {
            return;
        }
        if (!newRelation(parts, "table", c.getName(), at)) {
            return;
        }
        JsonNode init = c.field("init");
        if (init == null || !init.isArray() || init.isEmpty()) {
            problems.add(at + ".init: a table needs an init list with at least one column");
            return;
        }
        List<Column> columns = new ArrayList<>();
        List<Constraint> constraints = new ArrayList<>();
        List<Index> indexes = new ArrayList<>();
        for (int i = 0; i < init.size(); i++) {
            JsonNode part = init.get(i);
            String partAt = at + ".init[" + i + "]";
            String cmd = text(part.get("cmd"));
            if (cmd == null || !TABLE_PART_CMDS.contains(cmd)) {
                problems.add(
                        partAt + ".cmd: " + quote(cmd) + " is not a table part (use one of " + TABLE_PART_CMDS + ")");
                continue;
            }
            tablePart(cmd, text(part.get("name")), part::get, partAt, parts, columns, constraints, indexes);
        }
        if (columns.isEmpty()) {
            problems.add(at + ".init: a table needs at least one column");
        }
        Table table = new Table(c.getName(), List.copyOf(columns), List.copyOf(constraints), List.copyOf(indexes));
        parts.tableByName.put(c.getName(), table);
        parts.tables.add(table);
    }

    private void tablePart(
            String cmd,
            String name,
            java.util.function.Function<String, JsonNode> field,
            String at,
            Parts parts,
            List<Column> columns,
            List<Constraint> constraints,
            List<Index> indexes) {
        if (!identifier(name, at + ".name")) {
            return;
        }
        if (!cmd.equals("column") && !newRelation(parts, cmd, name, at)) {
            return;
        }
        switch (cmd) {
            case "column" -> {
                String type = sqlFragment(
                        field.apply("type"), at + ".type", "an SQL column type, e.g. VARCHAR(200) NOT NULL");
                if (columns.stream().anyMatch(col -> col.name().equalsIgnoreCase(name))) {
                    problems.add(at + ".name: column '" + name + "' is declared twice");
                } else if (type != null) {
                    columns.add(new Column(name, type));
                }
            }
            case "constraint" -> {
                JsonNode def = field.apply("def") != null ? field.apply("def") : field.apply("definition");
                String definition = sqlFragment(def, at + ".def", "the constraint's SQL, e.g. UNIQUE (sip)");
                if (definition != null) {
                    constraints.add(new Constraint(name, definition));
                }
            }
            default -> {
                String cols = sqlFragment(field.apply("columns"), at + ".columns", "the indexed columns, e.g. sip, id");
                JsonNode unique = field.apply("unique");
                if (cols != null) {
                    indexes.add(new Index(name, cols, unique != null && unique.asBoolean(false)));
                }
            }
        }
    }

    private void statement(InitCommand c, String at, Parts parts) {
        if (c.getName() == null || c.getName().isBlank()) {
            problems.add(at + ".name is missing");
            return;
        }
        String query = text(c.field("query"));
        if (query == null || query.isBlank()) {
            problems.add(at + ".query is missing");
            return;
        }
        Mode mode = null;
        String modeText = text(c.field("mode"));
        if (modeText != null && !modeText.isBlank()) {
            try {
                mode = Mode.parse(modeText);
            } catch (IllegalArgumentException e) {
                problems.add(at + ".mode: " + e.getMessage());
            }
        }
        List<Arg> args = args(c.field("args"), at + ".args");
        if (args == null) {
            return;
        }
        // Counted as the runner's binder counts them: not inside quotes or comments.
        int placeholders = SqlTemplate.parse(query).placeholders();
        if (placeholders != args.size()) {
            problems.add(at + ": the query has " + placeholders + " placeholder(s) but args declares " + args.size()
                    + "; each %s %u %i %llu %lli %b binds the next arg in order");
            return;
        }
        parts.statements
                .computeIfAbsent(c.getName(), k -> new ArrayList<>())
                .add(new Statement(
                        c.getName(),
                        mode,
                        query,
                        List.copyOf(args),
                        blankToNull(text(c.field("monitor"))),
                        blankToNull(text(c.field("return")))));
    }

    /** Args as an object (config.json's form: its order is the binding order) or a list of {name, type}. */
    private List<Arg> args(JsonNode node, String at) {
        int problemsBefore = problems.size();
        List<Arg> args = argsAsWritten(node, at);
        // A bad arg is reported once; the statement is not checked further against it.
        return problems.size() == problemsBefore ? args : null;
    }

    private List<Arg> argsAsWritten(JsonNode node, String at) {
        List<Arg> args = new ArrayList<>();
        if (node == null || node.isNull()) {
            return args;
        }
        if (node.isObject()) {
            if (node.size() > 1 && !argOrderKept) {
                problems.add(at + ": with more than one arg, give args as a list [{name: ..., type: ...}, ...]:"
                        + " Kubernetes does not keep the order of an object's keys, and args bind in order");
                return null;
            }
            for (Map.Entry<String, JsonNode> arg : node.properties()) {
                addArg(arg.getKey(), arg.getValue(), at + "." + arg.getKey(), args);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                addArg(text(node.get(i).get("name")), node.get(i), at + "[" + i + "]", args);
            }
        } else {
            problems.add(at + " must be an object of name: {type: ...}, or a list of {name, type}");
            return null;
        }
        return args;
    }

    private void addArg(String name, JsonNode spec, String at, List<Arg> args) {
        if (name == null || !ARG_NAME.matcher(name).matches()) {
            problems.add(
                    at + ": arg name " + quote(name) + " must be letters, digits, '_' or '-', optionally after '@'");
            return;
        }
        String type = text(spec.get("type"));
        try {
            args.add(new Arg(name, ArgType.parse(type == null ? "" : type)));
        } catch (IllegalArgumentException e) {
            problems.add(at + ".type: " + quote(type) + " is not one of [string, int, unsigned, long, ulong64, bool]");
        }
    }

    private void config(InitCommand c, String at, Parts parts) {
        if (c.getName() == null || c.getName().isBlank()) {
            problems.add(at + ".name is missing");
            return;
        }
        switch (c.getCmd()) {
            case "item" -> item(c, at, parts);
            case "mode" -> {
                try {
                    parts.modes.add(
                            new ConfigMode(Mode.parse(c.getName()), bool(c.field("read")), bool(c.field("write"))));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".name: " + e.getMessage());
                }
            }
            default -> problems.add(at + ".cmd: '" + c.getCmd() + "' is not a config command (use item or mode)");
        }
    }

    private void item(InitCommand c, String at, Parts parts) {
        String typeText = text(c.field("type"));
        ItemType type;
        try {
            type = ItemType.valueOf(typeText == null ? "" : typeText);
        } catch (IllegalArgumentException e) {
            problems.add(at + ".type: " + quote(typeText) + " is not one of " + List.of(ItemType.values()));
            return;
        }
        if (parts.items.stream().anyMatch(i -> i.name().equals(c.getName()))) {
            problems.add(at + ".name: config item '" + c.getName() + "' is declared twice");
            return;
        }
        List<String> options = List.of();
        JsonNode optionsNode = c.field("options");
        if (type == ItemType.CHOICE) {
            if (optionsNode == null || !optionsNode.isArray() || optionsNode.isEmpty()) {
                problems.add(at + ".options: a CHOICE item needs its options");
                return;
            }
            List<String> list = new ArrayList<>();
            optionsNode.forEach(o -> list.add(o.asText()));
            options = List.copyOf(list);
        }
        BigInteger min = integer(c.field("min"), at + ".min");
        BigInteger max = integer(c.field("max"), at + ".max");
        if (min != null && max != null && min.compareTo(max) > 0) {
            problems.add(at + ": min " + min + " is greater than max " + max);
        }
        ConfigItem item =
                new ConfigItem(c.getName(), type, c.field("default"), bool(c.field("password")), min, max, options);
        JsonNode dflt = c.field("default");
        if (dflt != null && !dflt.isNull()) {
            String wrong = ConfigValues.problem(item, dflt);
            if (wrong != null) {
                problems.add(at + ".default: " + wrong);
            }
        }
        parts.items.add(item);
    }

    private Map<String, byte[]> files(AppSpec spec, byte[] httpfilesZip) {
        Map<String, byte[]> files = new TreeMap<>();
        if (spec.getFiles() != null) {
            for (Map.Entry<String, String> file : spec.getFiles().entrySet()) {
                String path = AppFiles.normalize(file.getKey());
                if (path == null) {
                    problems.add("spec.files: '" + file.getKey() + "' is not a relative path inside the app");
                } else {
                    files.put(
                            path,
                            file.getValue() == null
                                    ? new byte[0]
                                    : file.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        } else if (spec.getHttpfilesConfigMap() != null) {
            if (httpfilesZip == null) {
                problems.add("spec.httpfilesConfigMap: ConfigMap "
                        + spec.getHttpfilesConfigMap().getName() + " has no key '"
                        + spec.getHttpfilesConfigMap().getKey() + "' (binaryData, holding httpfiles.zip)");
            } else {
                try {
                    files.putAll(AppFiles.unzip(httpfilesZip));
                } catch (IOException e) {
                    problems.add("spec.httpfilesConfigMap: " + e.getMessage());
                }
            }
        }
        return files;
    }

    /** The eval list with each {@code folder/*} expanded to the JS files of that subtree, in path order. */
    private List<String> expandEval(AppSpec spec, Map<String, byte[]> files) {
        List<String> expanded = new ArrayList<>();
        if (spec.getJavascript() == null || spec.getJavascript().getEval() == null) {
            return expanded;
        }
        List<String> eval = spec.getJavascript().getEval();
        for (int i = 0; i < eval.size(); i++) {
            String entry = eval.get(i);
            List<String> matched;
            if (entry.endsWith("*")) {
                String prefix = entry.substring(0, entry.length() - 1);
                matched = files.keySet().stream()
                        .filter(f -> f.startsWith(prefix) && f.endsWith(".js"))
                        .sorted()
                        .toList();
            } else {
                String path = AppFiles.normalize(entry);
                matched = path != null && files.containsKey(path) ? List.of(path) : List.of();
            }
            if (matched.isEmpty()) {
                problems.add("spec.javascript.eval[" + i + "]: '" + entry + "' matches no file of the app");
            }
            matched.stream().filter(f -> !expanded.contains(f)).forEach(expanded::add);
        }
        return expanded;
    }

    private interface EntryReader {
        void read(InitCommand command, String at);
    }

    private void each(InitList list, String at, EntryReader reader) {
        if (list == null || list.getInit() == null) {
            return;
        }
        for (int i = 0; i < list.getInit().size(); i++) {
            InitCommand command = list.getInit().get(i);
            String where = at + ".init[" + i + "]";
            if (command == null || command.getCmd() == null) {
                problems.add(where + ".cmd is missing");
            } else {
                reader.read(command, where);
            }
        }
    }

    /**
     * Claims a name for a table, index, constraint or sequence. PostgreSQL folds unquoted names to
     * lower case, and a schema's tables, indexes and sequences share one namespace (a unique or
     * primary key constraint makes an index of its name), so two such names may not meet there.
     */
    private boolean newRelation(Parts parts, String kind, String name, String at) {
        String folded = name.toLowerCase(java.util.Locale.ROOT);
        if (folded.startsWith("sf_")) {
            problems.add(
                    at + ".name: " + kind + " names starting with sf_ are the platform's own; choose another name");
            return false;
        }
        String previous = parts.relations.putIfAbsent(folded, "the " + kind + " declared at " + at);
        if (previous != null) {
            problems.add(
                    at + ".name: '" + name + "' is already the name of " + previous
                            + " (tables, indexes, constraints and sequences share one namespace, case-insensitively): choose another name");
            return false;
        }
        return true;
    }

    private boolean identifier(String name, String at) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            problems.add(at + ": " + quote(name)
                    + " is not an SQL name (letters, digits and '_', at most 63, not starting with a digit)");
            return false;
        }
        return true;
    }

    /** SQL written by the app's author; one statement only, so a fragment cannot smuggle a second one. */
    private String sqlFragment(JsonNode node, String at, String what) {
        String text = text(node);
        if (text == null || text.isBlank()) {
            problems.add(at + " is missing (" + what + ")");
            return null;
        }
        if (text.contains(";") || text.contains("--") || text.contains("/*")) {
            problems.add(at + ": '" + text + "' may not contain ';' or comments");
            return null;
        }
        return text.trim();
    }

    private BigInteger integer(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return new BigInteger(node.asText().trim());
        } catch (NumberFormatException e) {
            problems.add(at + ": '" + node.asText() + "' is not an integer");
            return null;
        }
    }

    private static boolean bool(JsonNode node) {
        return node != null && node.asBoolean(false);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String quote(String text) {
        return text == null ? "nothing" : "'" + text + "'";
    }
}
