package io.scriptforge.crd;

import java.util.List;

/** The npm modules app and worker Scripts may list in spec.modules: the seed's whitelist. */
public final class AllowedModules {
    /** As a CEL list literal, for the API server's validation rule. */
    public static final String CEL_LIST = "['moment', 'csv-parse', 'fast-csv', 'fast-toml', 'card-validator', 'data-forge',"
            + " 'tough-cookie', 'rss-parser', 'axios', 'axios-cookiejar-support', 'soap', 'stripe',"
            + " 'elasticemail-webapiclient', 'helpscout-2.0', 'ftp', 'decompress-zip']";
    public static final List<String> NAMES = List.of(CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

    private AllowedModules() {
    }

    public static boolean isAllowed(String module) {
        return NAMES.contains(module);
    }
}
