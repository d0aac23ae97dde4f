package io.scriptforge.crd;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm modules app and worker Scripts may list in spec.modules and {@code require}: the seed's
 * whitelist. The operator and the runners share it, with the modules runners cannot offer and why.
 */
public final class AllowedModules {
    /** As a CEL list literal, for the API server's validation rule. */
    public static final String CEL_LIST =
            "['moment', 'csv-parse', 'fast-csv', 'fast-toml', 'card-validator', 'data-forge',"
                    + " 'tough-cookie', 'rss-parser', 'axios', 'axios-cookiejar-support', 'soap', 'stripe',"
                    + " 'elasticemail-webapiclient', 'helpscout-2.0', 'ftp', 'decompress-zip']";

    public static final List<String> NAMES =
            List.of(CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

    /**
     * The require names beyond the package names: csv-parse's synchronous API, by its current path
     * and by the one the seed (csv-parse 4) documents. Each maps to the bundle that serves it.
     */
    private static final Map<String, String> SUBPATHS = Map.of(
            "csv-parse/sync", "csv-parse/sync",
            "csv-parse/lib/sync", "csv-parse/sync");

    /** Whitelisted modules the sandbox cannot run, and why: require fails with this, the operator reports it. */
    private static final Map<String, String> UNAVAILABLE =
            Map.of("decompress-zip", "it reads the archive from, and extracts it to, a file system; Scripts have none");

    private AllowedModules() {}

    public static boolean isAllowed(String module) {
        return bundleOf(module).isPresent();
    }

    /** The bundle serving {@code require(name)}: a whitelisted package or one of its documented subpaths. */
    public static Optional<String> bundleOf(String requireName) {
        if (NAMES.contains(requireName)) {
            return Optional.of(requireName);
        }
        return Optional.ofNullable(SUBPATHS.get(requireName));
    }

    /** Why runners cannot offer this whitelisted module, or empty when they bundle it. */
    public static Optional<String> unavailableReason(String requireName) {
        return bundleOf(requireName).map(UNAVAILABLE::get);
    }
}
