package io.scriptforge.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/** The files a control plane is started from: tokens, keys, kubeconfig; and free local ports. */
final class ClusterFiles {

    private ClusterFiles() {}

    /** A static token file (kube-apiserver --token-auth-file) whose one token is a cluster admin. */
    static Path writeTokenFile(Path dir, String token) {
        return write(dir.resolve("tokens.csv"), token + ",admin,admin,system:masters\n");
    }

    /**
     * An RSA key pair signing service-account tokens: {@code sa.key} (PKCS#8, for kube-apiserver
     * --service-account-signing-key-file and kube-controller-manager --service-account-private-key-file) and
     * {@code sa.pub} (X.509, for kube-apiserver --service-account-key-file).
     */
    static void writeServiceAccountKeys(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            write(dir.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(dir.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path writeKubeconfig(Path file, String server, Path caFile, String token) {
        return writeKubeconfig(file, server, caFile, token, "admin", "default");
    }

    /** A kubeconfig for {@code user}, holding {@code token}, whose context's namespace is {@code namespace}. */
    static Path writeKubeconfig(Path file, String server, Path caFile, String token, String user, String namespace) {
        return write(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: it
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: it
                  context: {cluster: it, user: %s, namespace: %s}
                current-context: it
                """.formatted(server, caFile.toAbsolutePath(), user, token, user, namespace));
    }

    /** Copies a classpath resource of this package's {@code /cluster/} folder into {@code dir}. */
    static Path copyResource(String name, Path dir) {
        try (InputStream in = ClusterFiles.class.getResourceAsStream("/cluster/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no resource /cluster/" + name);
            }
            Path target = dir.resolve(name);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nobody listens on at 127.0.0.1 right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
