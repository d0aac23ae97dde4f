package io.scriptforge.sandbox;

import io.scriptforge.sandbox.bridge.HostFailure;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests, HMACs and secure random bytes a sandbox library may ask of the host, from the JDK: the npm
 * bundles' {@code crypto} shim (Scripts) and the service library's {@code Crypto} (Apps). Each library encodes
 * the bytes its own way; the algorithm names are checked here, in any case (Node's sha256, the App Platform's
 * SHA256).
 */
public final class HostCrypto {
    public static final int MAX_RANDOM_BYTES = 65_536;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> DIGESTS =
            Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    private HostCrypto() {}

    public static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(jdkName(algorithm)).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        String name = "Hmac" + jdkName(algorithm).replace("-", "");
        try {
            Mac mac = Mac.getInstance(name);
            // An empty key is legal for HMAC (it is zero-padded), but SecretKeySpec refuses one.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, name));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }

    /** {@code count} secure random bytes, 0 to {@value #MAX_RANDOM_BYTES}. */
    public static byte[] random(int count) {
        if (count < 0 || count > MAX_RANDOM_BYTES) {
            throw new HostFailure("random bytes: between 0 and " + MAX_RANDOM_BYTES + " at once, not " + count);
        }
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String jdkName(String algorithm) {
        String name = DIGESTS.get(algorithm.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new HostFailure(
                    "crypto: no digest '" + algorithm + "' in the sandbox (md5, sha1, sha256, sha384, sha512)");
        }
        return name;
    }
}
