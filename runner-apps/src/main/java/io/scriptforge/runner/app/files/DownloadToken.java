package io.scriptforge.runner.app.files;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof in a dbfiles download URL: HMAC-SHA256 of its {@link DownloadGrant} (file, session,
 * expiry) keyed with the app password. Every replica knows the password, so a listed URL works on any
 * of them; no one without the password can make one for another file, a later expiry or another session.
 *
 * <p>An app without a password has no download URLs: a fixed fallback key would be public (it is in
 * this source), a random one per replica would break URLs across replicas, and without a password
 * no client can log in to list files anyway.
 */
final class DownloadToken {
    private static final String HMAC = "HmacSHA256";

    private DownloadToken() {}

    static String of(String appPassword, DownloadGrant grant) {
        if (appPassword == null || appPassword.isEmpty()) {
            throw new IllegalStateException("dbfiles '" + grant.store()
                    + "': no download URL without an app password (set the App's password Secret)");
        }
        return HexFormat.of().formatHex(mac(appPassword, grant));
    }

    static boolean matches(String appPassword, DownloadGrant grant, String token) {
        if (appPassword == null || appPassword.isEmpty() || token == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(appPassword, grant), given);
    }

    private static byte[] mac(String appPassword, DownloadGrant grant) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(appPassword.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(grant.signed().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
