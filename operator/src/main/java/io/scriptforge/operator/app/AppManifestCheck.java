package io.scriptforge.operator.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.crd.InitCommand;
import io.scriptforge.crd.InitList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks an App manifest the way config.json is read, and says what is wrong and where (spec.database.init[2].args...). */
final class AppManifestCheck {
    private static final List<String> DATABASE_CMDS = List.of("table", "column", "statement", "sequence", "index", "constraint");
    private static final List<String> TABLE_PART_CMDS = List.of("column", "index", "constraint");
    private static final List<String> ARG_TYPES = List.of("string", "int", "unsigned", "long", "ulong64", "bool");
    private static final List<String> ITEM_TYPES = List.of("CHOICE", "BOOL", "INT", "DWORD", "LONG64", "ULONG64", "STRING");
    private static final Pattern PLACEHOLDER = Pattern.compile("%(s|u|i|llu|lli|b)");

    private AppManifestCheck() {
    }

    /** @return the problems found; empty when the manifest is valid */
    static List<String> problems(AppSpec spec) {
        List<String> problems = new ArrayList<>();
        each(spec.getDatabase(), "spec.database", problems, (c, at) -> database(c, at, problems));
        each(spec.getConfig(), "spec.config", problems, (c, at) -> config(c, at, problems));
        each(spec.getDbfiles(), "spec.dbfiles", problems, (c, at) -> {
            expect(c.getCmd().equals("start"), at + ".cmd: '" + c.getCmd() + "' is not a dbfiles command (use start)", problems);
            expect(c.getName() != null, at + ".name is missing", problems);
            expect(c.field("folder") != null, at + ".folder is missing (the column type of the folder reference, e.g. BIGINT)", problems);
        });
        javascript(spec, problems);
        return problems;
    }

    private static void database(InitCommand c, String at, List<String> problems) {
        if (!DATABASE_CMDS.contains(c.getCmd())) {
            problems.add(at + ".cmd: '" + c.getCmd() + "' is not a database command (use one of " + DATABASE_CMDS + ")");
            return;
        }
        expect(c.getName() != null, at + ".name is missing", problems);
        switch (c.getCmd()) {
            case "table" -> tableParts(c.field("init"), at + ".init", problems);
            case "column" -> expect(text(c.field("type")) != null, at + ".type is missing (an SQL column type)", problems);
            case "statement" -> statement(c, at, problems);
            default -> { }
        }
    }

    private static void tableParts(JsonNode init, String at, List<String> problems) {
        if (init == null || !init.isArray() || init.isEmpty()) {
            problems.add(at + ": a table needs an init list with at least one column");
            return;
        }
        for (int i = 0; i < init.size(); i++) {
            String cmd = text(init.get(i).get("cmd"));
            expect(cmd != null && TABLE_PART_CMDS.contains(cmd), at + "[" + i + "].cmd: '" + cmd + "' is not a table part (use one of " + TABLE_PART_CMDS + ")", problems);
        }
    }

    private static void statement(InitCommand c, String at, List<String> problems) {
        String query = text(c.field("query"));
        if (query == null) {
            problems.add(at + ".query is missing");
            return;
        }
        JsonNode args = c.field("args");
        if (args != null && !args.isObject()) {
            problems.add(at + ".args must be an object of name: {type: ...}");
            return;
        }
        int placeholders = 0;
        Matcher m = PLACEHOLDER.matcher(query);
        while (m.find()) {
            placeholders++;
        }
        int declared = args == null ? 0 : args.size();
        expect(placeholders == declared, at + ": the query has " + placeholders + " placeholder(s) but args declares " + declared
                + "; each %s %u %i %llu %lli %b binds the next arg in order", problems);
        if (args != null) {
            for (Map.Entry<String, JsonNode> arg : args.properties()) {
                String type = text(arg.getValue().get("type"));
                expect(type != null && ARG_TYPES.contains(type), at + ".args." + arg.getKey() + ".type: '" + type + "' is not one of " + ARG_TYPES, problems);
            }
        }
    }

    private static void config(InitCommand c, String at, List<String> problems) {
        expect(c.getName() != null, at + ".name is missing", problems);
        switch (c.getCmd()) {
            case "item" -> {
                String type = text(c.field("type"));
                expect(type != null && ITEM_TYPES.contains(type), at + ".type: '" + type + "' is not one of " + ITEM_TYPES, problems);
                expect(!"CHOICE".equals(type) || (c.field("options") != null && c.field("options").isArray()),
                        at + ".options: a CHOICE item needs its options", problems);
            }
            case "mode" -> { }
            default -> problems.add(at + ".cmd: '" + c.getCmd() + "' is not a config command (use item or mode)");
        }
    }

    private static void javascript(AppSpec spec, List<String> problems) {
        if (spec.getJavascript() == null || spec.getJavascript().getEval() == null) {
            return;
        }
        if (spec.getFiles() == null) {
            expect(spec.getHttpfilesConfigMap() != null, "spec.javascript.eval lists files but the app has none: add spec.files or spec.httpfilesConfigMap", problems);
            return; // files inside an httpfiles.zip are checked by the runner that unpacks them
        }
        List<String> eval = spec.getJavascript().getEval();
        for (int i = 0; i < eval.size(); i++) {
            String entry = eval.get(i);
            boolean found = entry.endsWith("/*")
                    ? spec.getFiles().keySet().stream().anyMatch(f -> f.startsWith(entry.substring(0, entry.length() - 1)) && f.endsWith(".js"))
                    : spec.getFiles().containsKey(entry);
            expect(found, "spec.javascript.eval[" + i + "]: '" + entry + "' matches no file in spec.files", problems);
        }
    }

    private interface EntryCheck {
        void check(InitCommand command, String at);
    }

    private static void each(InitList list, String at, List<String> problems, EntryCheck check) {
        if (list == null || list.getInit() == null) {
            return;
        }
        for (int i = 0; i < list.getInit().size(); i++) {
            InitCommand command = list.getInit().get(i);
            String where = at + ".init[" + i + "]";
            if (command.getCmd() == null) {
                problems.add(where + ".cmd is missing");
            } else {
                check.check(command, where);
            }
        }
    }

    private static void expect(boolean ok, String problem, List<String> problems) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
