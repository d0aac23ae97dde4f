package io.scriptforge.runner.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The PostgreSQL schema (and role of the same name) holding one App's data, so that no app reads
 * another's. Names are lowercase {@code [a-z0-9_]}, so they never need more than double quotes.
 *
 * <p>The name is injective wherever it can be: {@code app<n>_<namespace>_<app>}, with {@code n} the
 * namespace's length and every {@code -} written {@code _}, for names of {@code [a-z0-9-]} (every
 * Kubernetes namespace, most object names) that fit PostgreSQL's 63 bytes; the length says where the
 * namespace ends, so {@code ns-a/b} and {@code ns/a-b} differ. Any other pair (longer, or with other
 * characters) is {@code apph_} and 64 bits of SHA-256 of the exact pair, then a readable part. No two
 * pairs are known to share such a hash, and the runners' own table of App schemas records each name's
 * owner, so a second App whose name came out the same is refused rather than served another's data
 * (see {@code SchemaMigrator}). Both forms differ from the names runners gave before
 * ({@code app_<namespace>_<app>}: {@link #legacyName}), which a migration renames.
 */
public record AppSchema(String namespace, String app, String name) {
    private static final int MAX_IDENTIFIER = 63;
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9-]+");
    private static final int HASH_BYTES = 8;

    public static AppSchema of(String namespace, String app) {
        return new AppSchema(namespace, app, nameOf(namespace, app));
    }

    static String nameOf(String namespace, String app) {
        if (PLAIN.matcher(namespace).matches() && PLAIN.matcher(app).matches()) {
            String exact = "app" + namespace.length() + "_" + namespace.replace('-', '_') + "_" + app.replace('-', '_');
            if (exact.length() <= MAX_IDENTIFIER) {
                return exact;
            }
        }
        String hashed = "apph_" + hash(namespace, app) + "_" + readable(namespace + "_" + app);
        return hashed.length() <= MAX_IDENTIFIER ? hashed : hashed.substring(0, MAX_IDENTIFIER);
    }

    /**
     * The name runners gave the pair before names were injective: not injective ({@code ns-a/b} and
     * {@code ns/a-b} share it), kept only to find and rename an App's existing schema and role.
     */
    public String legacyName() {
        String legacy =
                ("app_" + namespace + "_" + app).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (legacy.length() > MAX_IDENTIFIER) {
            legacy = legacy.substring(0, MAX_IDENTIFIER - 9) + "_" + legacyHash(namespace + "/" + app);
        }
        return legacy;
    }

    /** The schema (and role) name, quoted for SQL. */
    public String quoted() {
        return "\"" + name + "\"";
    }

    /** "namespace/app", for messages. */
    public String appName() {
        return namespace + "/" + app;
    }

    /** The namespace's length first: no two pairs give the same text to hash. */
    private static String hash(String namespace, String app) {
        return HexFormat.of().formatHex(sha256(namespace.length() + ":" + namespace + "/" + app), 0, HASH_BYTES);
    }

    /** For people reading the database, never for telling Apps apart. */
    private static String readable(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    private static String legacyHash(String text) {
        return HexFormat.of().formatHex(sha256(text), 0, 4);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
