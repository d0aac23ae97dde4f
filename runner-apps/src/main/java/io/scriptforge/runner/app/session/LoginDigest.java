package io.scriptforge.runner.app.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The AppLogin arithmetic of the seed: the digest a client proves the app password with, the session
 * key both sides derive from it, and the dbfiles key derived from that.
 */
public final class LoginDigest {
    private LoginDigest() {}

    /**
     * {@code hex(sha256("app:domain:sip:guid:dn:info:challenge:password"))}; {@code info} (compact JSON)
     * and its colon are left out when absent.
     */
    public static String digest(
            String app,
            String domain,
            String sip,
            String guid,
            String dn,
            String info,
            String challenge,
            String password) {
        StringBuilder text = new StringBuilder();
        for (String part : new String[] {app, domain, sip, guid, dn}) {
            text.append(nullToEmpty(part)).append(':');
        }
        if (info != null) {
            text.append(info).append(':');
        }
        text.append(challenge).append(':').append(password);
        return sha256Hex(text.toString());
    }

    /** A password login's session key: {@code hex(sha256("innovaphoneAppSessionKey:" + challenge + ":" + password))}. */
    public static String sessionKey(String challenge, String password) {
        return sha256Hex("innovaphoneAppSessionKey:" + challenge + ":" + password);
    }

    /** The key a client sends with dbfiles requests: {@code hex(sha256("generic-dbfiles:" + sessionKey))}. */
    public static String dbfilesKey(String sessionKey) {
        return sha256Hex("generic-dbfiles:" + sessionKey);
    }

    /** Compares in constant time, so a digest cannot be guessed byte by byte from response times. */
    public static boolean matches(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
