package io.scriptforge.runner.db;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A random secret shared by every runner replica through the database (in {@link PlatformSchema},
 * out of the apps' reach), from which each replica derives the same values without storing them:
 * the apps' role passwords and the key that signs events. Each use has its own purpose string,
 * so no two uses share a key.
 */
public final class PlatformSecret {
    private static final String HMAC = "HmacSHA256";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;

    private PlatformSecret(byte[] secret) {
        this.secret = secret;
    }

    /** The stored secret; the first replica to ask stores a new one, and every later one reads that. */
    static PlatformSecret loadOrCreate(Connection connection) throws SQLException {
        byte[] fresh = new byte[SECRET_BYTES];
        RANDOM.nextBytes(fresh);
        try (PreparedStatement st = connection.prepareStatement(
                "INSERT INTO " + PlatformSchema.SECRET + " (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
            st.setString(1, HexFormat.of().formatHex(fresh));
            st.executeUpdate();
        }
        try (PreparedStatement st =
                        connection.prepareStatement("SELECT secret FROM " + PlatformSchema.SECRET + " WHERE id = 1");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return new PlatformSecret(HexFormat.of().parseHex(rs.getString(1)));
        }
    }

    /** HMAC-SHA256 of {@code text} under the key for {@code purpose}, in hex. */
    public String sign(String purpose, String text) {
        return HexFormat.of().formatHex(hmac(hmac(secret, purpose), text));
    }

    /** The password of an app's database role: the same on every replica, kept nowhere. Hex, so safe in a literal. */
    public String rolePassword(String role) {
        return sign("app role password", role);
    }

    @Override
    public String toString() {
        return "PlatformSecret[***]";
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
