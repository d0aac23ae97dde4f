package io.scriptforge.runner.app.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Crypto} of the service library: digests, HMACs and randomness from the JDK. Names and
 * encodings arrive checked by the library (SHA1, SHA256, SHA512, MD5; hex, base64); text is UTF-8.
 */
final class ServiceCrypto {
    static final int MAX_RANDOM_BYTES = 65_536;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceCrypto() {}

    static String hash(String algorithm, String data, String encoding) {
        try {
            MessageDigest digest = MessageDigest.getInstance(jdkDigest(algorithm));
            return encode(digest.digest(data.getBytes(StandardCharsets.UTF_8)), encoding);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    static String hmac(String algorithm, String key, String data, String encoding) {
        String name = "Hmac" + jdkDigest(algorithm).replace("-", "");
        try {
            Mac mac = Mac.getInstance(name);
            // An empty key is legal for HMAC (it is zero-padded), but SecretKeySpec refuses one.
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            mac.init(new SecretKeySpec(keyBytes.length == 0 ? new byte[1] : keyBytes, name));
            return encode(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)), encoding);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }

    static String randomUUID() {
        return UUID.randomUUID().toString();
    }

    static String randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** SHA256 → SHA-256; MD5 stays. */
    private static String jdkDigest(String algorithm) {
        return switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            case "SHA512" -> "SHA-512";
            case "MD5" -> "MD5";
            default -> throw new IllegalArgumentException("unknown algorithm " + algorithm);
        };
    }

    private static String encode(byte[] bytes, String encoding) {
        return "base64".equals(encoding)
                ? Base64.getEncoder().encodeToString(bytes)
                : HexFormat.of().formatHex(bytes);
    }
}
