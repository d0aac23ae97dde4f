package io.scriptforge.runner.app.files;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof in a dbfiles download URL: HMAC-SHA256 of {@code store:id} keyed with the app password.
 * Every replica knows the password, so a listed URL works on any of them; no one without the
 * password can make one for another file.
 *
 * <p>An app without a password has no download URLs: a fixed fallback key would be public (it is in
 * this source), a random one per replica would break URLs across replicas, and without a password
 * no client can log in to list files anyway.
 */
final class DownloadToken {
    private static final String HMAC = "HmacSHA256";

    private DownloadToken() {
    }

    static String of(String appPassword, String store, long id) {
        if (appPassword == null || appPassword.isEmpty()) {
            throw new IllegalStateException("dbfiles '" + store + "': no download URL without an app password (set the App's password Secret)");
        }
        return HexFormat.of().formatHex(mac(appPassword, store, id));
    }

    static boolean matches(String appPassword, String store, long id, String token) {
        if (appPassword == null || appPassword.isEmpty() || token == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(appPassword, store, id), given);
    }

    private static byte[] mac(String appPassword, String store, long id) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(appPassword.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal((store + ":" + id).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
