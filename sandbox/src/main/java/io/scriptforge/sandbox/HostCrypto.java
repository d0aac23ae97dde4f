package io.scriptforge.sandbox;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the npm bundles' {@code crypto} shim asks of the host: digests, HMACs and secure random
 * bytes from the JDK. Bytes travel as base64; algorithm names are Node's (sha256), checked here.
 */
final class HostCrypto {
    static final int MAX_RANDOM_BYTES = 65_536;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> DIGESTS =
            Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    private HostCrypto() {}

    static String digest(String algorithm, String dataBase64) {
        try {
            return encode(MessageDigest.getInstance(jdkName(algorithm)).digest(decode(dataBase64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    static String hmac(String algorithm, String keyBase64, String dataBase64) {
        String name = "Hmac" + jdkName(algorithm).replace("-", "");
        try {
            Mac mac = Mac.getInstance(name);
            byte[] key = decode(keyBase64);
            // An empty key is legal for HMAC (it is zero-padded), but SecretKeySpec refuses one.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, name));
            return encode(mac.doFinal(decode(dataBase64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }

    static String random(int count) {
        if (count < 0 || count > MAX_RANDOM_BYTES) {
            throw new IllegalArgumentException(
                    "crypto.randomBytes: between 0 and " + MAX_RANDOM_BYTES + " bytes, not " + count);
        }
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return encode(bytes);
    }

    private static String jdkName(String algorithm) {
        String name = DIGESTS.get(algorithm);
        if (name == null) {
            throw new IllegalArgumentException("crypto: no digest '" + algorithm + "' in the sandbox");
        }
        return name;
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
