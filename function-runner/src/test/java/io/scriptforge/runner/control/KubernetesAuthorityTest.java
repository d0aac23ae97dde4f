package io.scriptforge.runner.control;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** What cluster mode's authority does when it cannot ask (RunnerInClusterIT shows it asking a real API server). */
class KubernetesAuthorityTest {
    @Test
    void anApiServerThatCannotBeReachedIsUnavailableNeverAGuess() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var authority = new KubernetesAuthority(URI.create("https://127.0.0.1:" + closed), SSLContext.getDefault(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> authority.authenticate("some-token"))
                .isInstanceOf(ControlAuthority.UnavailableException.class)
                .hasMessageContaining("could not be asked");
        assertThatThrownBy(() -> authority.allows(new Caller("someone", "some-token"), "default", ControlPermission.READ_LOGS))
                .isInstanceOf(ControlAuthority.UnavailableException.class);
    }

    @Test
    void callersTokensAreNeverSentToAnApiServerWhoseCertificateIsNotChecked() {
        Config insecure = new ConfigBuilder().withMasterUrl("https://10.0.0.1").withTrustCerts(true).build();

        assertThatThrownBy(() -> ApiServerTls.of(insecure))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("insecure-skip-tls-verify")
                .hasMessageContaining("scriptforge.control.auth=token");
    }

    @Test
    void aCertificateAuthorityThatIsNotPemIsRefusedSayingSo() {
        Config broken = new ConfigBuilder().withMasterUrl("https://10.0.0.1").withCaCertData("bm90IGEgY2VydGlmaWNhdGU=").build();

        assertThatThrownBy(() -> ApiServerTls.of(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("certificate authority cannot be read");
    }
}
