package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A keep-alive connection is reused until it is {@code scriptforge.max-connection-age} old (2 s in the tests): the
 * first answer after that says {@code Connection: close} and the runner closes it, so a client behind a Service
 * reconnects and may reach a runner added since. Observed on a raw socket, as a load balancer's client sees it.
 */
@QuarkusTest
class KeepAliveRotationComponentTest {
    private static final Duration MAX_AGE = Duration.ofSeconds(2);

    @TestHTTPResource("/")
    URL base;

    @Test
    void aConnectionOlderThanTheMaxAgeIsClosedAfterItsNextAnswerAndANewOneIsReusedAgain() throws Exception {
        String uuid =
                new RunnerClient(base).deploy("rotation", "script", "function main(data) { return 'ok ' + data.n; }");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            Answer first = exchange(socket, uuid, 1);
            Answer second = exchange(socket, uuid, 2);
            assertThat(first.body()).isEqualTo("ok 1");
            assertThat(second.body())
                    .as("a second answer on the same connection")
                    .isEqualTo("ok 2");
            assertThat(first.headers()).doesNotContainEntry("connection", "close");
            assertThat(second.headers()).doesNotContainEntry("connection", "close");

            Thread.sleep(MAX_AGE.plusMillis(300)); // the connection's age, not a wait for the runner
            Answer old = exchange(socket, uuid, 3);
            assertThat(old.body())
                    .as("the request on the old connection is answered in full")
                    .isEqualTo("ok 3");
            assertThat(old.headers()).containsEntry("connection", "close");
            assertThat(socket.getInputStream().read())
                    .as("the runner closed the connection after that answer")
                    .isEqualTo(-1);
        }
        try (Socket fresh = new Socket(base.getHost(), base.getPort())) {
            fresh.setSoTimeout(10_000);
            assertThat(exchange(fresh, uuid, 4).headers())
                    .as("a new connection is kept alive")
                    .doesNotContainEntry("connection", "close");
            assertThat(exchange(fresh, uuid, 5).body()).isEqualTo("ok 5");
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {}

    /** One HTTP/1.1 keep-alive request and its answer (a Content-Length body), on {@code socket}. */
    private static Answer exchange(Socket socket, String uuid, int n) throws IOException {
        String body = "{\"n\":" + n + "}";
        String request =
                "POST /v1/invoke/" + uuid + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim().toLowerCase(Locale.ROOT));
        }
        assertThat(headers).as("the answer's headers (" + statusLine + ")").containsKey("content-length");
        byte[] content = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Answer(
                Integer.parseInt(statusLine.split(" ")[1]), headers, new String(content, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
