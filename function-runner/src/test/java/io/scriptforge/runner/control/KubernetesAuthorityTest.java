package io.scriptforge.runner.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** What cluster mode's authority does when it cannot ask (RunnerInClusterIT shows it asking a real API server). */
class KubernetesAuthorityTest {
    /**
     * A client sending ever new made-up tokens: each costs the API server a review, so reviews of tokens not seen
     * lately are bounded per second; the rest answer unavailable (503) at once, and a refused token asked again is
     * not reviewed again while its answer is kept.
     */
    @Test
    void madeUpTokensCostTheApiServerABoundedNumberOfReviewsPerSecond() throws Exception {
        AtomicInteger reviews = new AtomicInteger();
        HttpServer apiServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        apiServer.createContext("/", exchange -> {
            reviews.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        apiServer.start();
        try {
            var authority = new KubernetesAuthority(
                    URI.create("http://127.0.0.1:" + apiServer.getAddress().getPort()),
                    SSLContext.getDefault(),
                    Duration.ofSeconds(10),
                    5);
            int refused = 0;
            int unavailable = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                try {
                    assertThat(authority.authenticate("made-up-" + i)).isEmpty();
                    refused++;
                } catch (ControlAuthority.UnavailableException e) {
                    assertThat(e).hasMessageContaining("scriptforge.control.new-tokens-per-second");
                    unavailable++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(reviews.get())
                    .as("reviews made in %.2f s", seconds)
                    .isEqualTo(refused)
                    .isLessThanOrEqualTo(5 * ((int) seconds + 2));
            assertThat(unavailable).isEqualTo(200 - refused).isPositive();
            assertThat(authority.authenticate("made-up-0"))
                    .as("refused a moment ago: kept")
                    .isEmpty();
            assertThat(reviews.get()).isEqualTo(refused);
        } finally {
            apiServer.stop(0);
        }
    }

    @Test
    void anApiServerThatCannotBeReachedIsUnavailableNeverAGuess() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var authority = new KubernetesAuthority(
                URI.create("https://127.0.0.1:" + closed), SSLContext.getDefault(), Duration.ofSeconds(10), 20);

        assertThatThrownBy(() -> authority.authenticate("some-token"))
                .isInstanceOf(ControlAuthority.UnavailableException.class)
                .hasMessageContaining("could not be asked");
        assertThatThrownBy(() ->
                        authority.allows(new Caller("someone", "some-token"), "default", ControlPermission.READ_LOGS))
                .isInstanceOf(ControlAuthority.UnavailableException.class);
    }

    @Test
    void callersTokensAreNeverSentToAnApiServerWhoseCertificateIsNotChecked() {
        Config insecure = new ConfigBuilder()
                .withMasterUrl("https://10.0.0.1")
                .withTrustCerts(true)
                .build();

        assertThatThrownBy(() -> ApiServerTls.of(insecure))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("insecure-skip-tls-verify")
                .hasMessageContaining("scriptforge.control.auth=token");
    }

    @Test
    void aCertificateAuthorityThatIsNotPemIsRefusedSayingSo() {
        Config broken = new ConfigBuilder()
                .withMasterUrl("https://10.0.0.1")
                .withCaCertData("bm90IGEgY2VydGlmaWNhdGU=")
                .build();

        assertThatThrownBy(() -> ApiServerTls.of(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("certificate authority cannot be read");
    }
}
