package io.scriptforge.runner.control;

import io.fabric8.kubernetes.client.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the API server as the runner's Kubernetes configuration names it: its certificate authority (the pod's
 * service account CA in a cluster, a kubeconfig's otherwise), or the JDK's when it names none. Callers' tokens are
 * sent there, so a configuration that skips the server's certificate check is refused.
 */
public final class ApiServerTls {
    private ApiServerTls() {}

    public static SSLContext of(Config config) {
        if (config.isTrustCerts()) {
            throw new IllegalStateException("the Kubernetes configuration skips checking the API server's certificate"
                    + " (insecure-skip-tls-verify): scriptforge.control.auth=kubernetes will not send callers' tokens there;"
                    + " name its certificate authority, or choose scriptforge.control.auth=token");
        }
        try {
            byte[] pem = config.getCaCertData() != null
                    ? Base64.getDecoder().decode(config.getCaCertData().strip())
                    : config.getCaCertFile() != null ? Files.readAllBytes(Path.of(config.getCaCertFile())) : null;
            if (pem == null) {
                return SSLContext.getDefault();
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = new ByteArrayInputStream(pem)) {
                int i = 0;
                for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + i++, ca);
                }
            }
            if (trusted.size() == 0) {
                throw new IllegalArgumentException("it holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the API server's certificate authority cannot be read: " + e.getMessage(), e);
        }
    }
}
