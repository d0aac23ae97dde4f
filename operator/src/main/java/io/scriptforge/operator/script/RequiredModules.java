package io.scriptforge.operator.script;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The module names a Script's code names literally in require('x'), import ... from 'x' or export ... from 'x'. */
final class RequiredModules {
    private static final Pattern REQUIRE = Pattern.compile("\\brequire\\s*\\(\\s*(['\"])([^'\"\\n]+)\\1\\s*\\)");
    private static final Pattern BARE_IMPORT = Pattern.compile("(?m)^\\s*import\\s*(['\"])([^'\"\\n]+)\\1");
    private static final Pattern FROM =
            Pattern.compile("(?m)^\\s*(?:import|export)\\b[^;'\"]*?\\bfrom\\s*(['\"])([^'\"\\n]+)\\1");

    private RequiredModules() {}

    static Set<String> of(String code) {
        Set<String> names = new LinkedHashSet<>();
        collect(REQUIRE.matcher(code), names);
        collect(BARE_IMPORT.matcher(code), names);
        collect(FROM.matcher(code), names);
        return names;
    }

    private static void collect(Matcher m, Set<String> names) {
        while (m.find()) {
            names.add(scriptName(m.group(2)));
        }
    }

    /** As the runner's require() resolves it: './helper.js' is the Script named helper. */
    static String scriptName(String specifier) {
        return specifier.startsWith("./") ? specifier.substring(2).replaceFirst("\\.m?js$", "") : specifier;
    }
}
