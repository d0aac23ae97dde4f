package io.scriptforge.runner.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The PostgreSQL schema (and role of the same name) holding one App's data, so that no app reads
 * another's. Names are lowercase {@code [a-z0-9_]}, so they never need more than double quotes.
 */
public record AppSchema(String namespace, String app, String name) {
    private static final int MAX_IDENTIFIER = 63;

    public static AppSchema of(String namespace, String app) {
        String name = ("app_" + namespace + "_" + app).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.length() > MAX_IDENTIFIER) {
            // Long names keep a readable prefix and a hash of the whole, so two apps never collide.
            name = name.substring(0, MAX_IDENTIFIER - 9) + "_" + shortHash(namespace + "/" + app);
        }
        return new AppSchema(namespace, app, name);
    }

    /** The schema (and role) name, quoted for SQL. */
    public String quoted() {
        return "\"" + name + "\"";
    }

    /** "namespace/app", for messages. */
    public String appName() {
        return namespace + "/" + app;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
