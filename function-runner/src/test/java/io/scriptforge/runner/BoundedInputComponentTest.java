package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every body is bounded while it is read, declared or chunked: a client that sends more than the limit gets 413
 * as soon as it passed it (and far from all of what it meant to send is read), never an answer after the whole
 * body was taken in. The limits: scriptforge.max-body-bytes (1 MiB), scriptforge.apps.max-file-bytes for
 * dbfiles, scriptforge.apps.max-message-bytes for AppWebsocket messages.
 */
@QuarkusTest
class BoundedInputComponentTest extends RunnerTestBase {
    private static final int LIMIT = 1_048_576;
    /** What a hostile client means to send: 80 MiB, as in the report. */
    private static final long HOSTILE = 80L * 1024 * 1024;

    @ParameterizedTest(name = "{0} {1}, chunked={2}")
    @CsvSource({
        "POST, /v1/invoke/{uuid}, true", "POST, /v1/invoke/{uuid}, false",
        "POST, /v1/route/{uuid}, true", "POST, /v1/route/{uuid}, false",
        "POST, /v1/jobs/{uuid}, true", "POST, /v1/jobs/{uuid}, false",
        "POST, /apps/default/notes/hello, true", "POST, /apps/default/notes/hello, false",
        "PUT, /apps/default/notes/nothing-here, true"
    })
    void aBodyPastTheLimitIsRefusedAsSoonAsItIsPassed(String method, String path, boolean chunked) throws Exception {
        String uuid = runner.deploy("bounded-echo", "script", "function main(data) { return 'ok'; }");
        Answer answer = send(method, path.replace("{uuid}", uuid), chunked, HOSTILE);

        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
        assertThat(answer.head()).contains("\"reason\":\"Payload Too Large\"").contains("scriptforge.max-body-bytes");
        assertThat(answer.sent()).as("bytes the client got to send").isLessThan(16L * LIMIT);
    }

    @Test
    void aBodyAtTheLimitIsServed() throws Exception {
        String uuid = runner.deploy("bounded-size", "script", "function main(data, ctx) { return 'ok'; }");
        assertThat(send("POST", "/v1/invoke/" + uuid, true, LIMIT - 64).status())
                .isNotEqualTo(413);
        assertThat(send("POST", "/apps/default/notes/hello", true, LIMIT).status())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "chunked={0}")
    @CsvSource({"true", "false"})
    void aDbfilesUploadPastItsOwnLimitIsRefusedAsSoonAsItIsPassed(boolean chunked) throws Exception {
        try (AppSession session = AppSession.open(base, "default", "notes")) {
            assertThat(session.login("notes", "example.com", "bounded-user", "pwd")
                            .path("ok")
                            .asBoolean())
                    .isTrue();
            Answer answer = send(
                    "POST",
                    "/apps/default/notes/?dbfiles=myfiles&folder=9001&name=big.bin&key=" + session.dbfilesKey(),
                    chunked,
                    2 * HOSTILE);

            assertThat(answer.status()).as(answer.head()).isEqualTo(413);
            assertThat(answer.head()).contains("scriptforge.apps.max-file-bytes");
            assertThat(answer.sent()).isLessThan(2 * HOSTILE);
        }
    }

    @ParameterizedTest(name = "fragments={0}")
    @CsvSource({"1", "64"})
    void anAppWebsocketMessagePastTheLimitClosesTheSessionWith1009(int fragments) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create(base.toString().replaceFirst("^http", "ws") + "apps/default/notes/"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket ws, Throwable error) {
                                closed.completeExceptionally(error);
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        // 512 KiB in all, past both our limit (256 KiB) and Vert.x's; each fragment under the 64 KiB frame limit.
        int total = 512 * 1024;
        int size = Math.min(total / fragments, 60_000);
        int sent = 0;
        try {
            while (sent < total && !closed.isDone()) {
                int part = Math.min(size, total - sent);
                sent += part;
                socket.sendText("x".repeat(part), sent >= total).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the server closed while the rest was being sent
        }
        assertThat(closed.get(10, TimeUnit.SECONDS)).as("close code").isEqualTo(1009);
    }

    private record Answer(int status, String head, long sent) {}

    /** Sends {@code size} bytes of body (declared, or in 64 KiB chunks) until the server answers or closes, then reads the answer. */
    private Answer send(String method, String path, boolean chunked, long size) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nAuthorization: "
                    + RunnerClient.CONTROL_AUTHORIZATION + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            long sent = 0;
            try {
                while (sent < size && in.available() == 0) {
                    int part = (int) Math.min(chunk.length, size - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(part) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(chunk, 0, part);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    sent += part;
                }
                if (chunked && sent >= size) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                // the server answered and closed while the body was being sent: what a bounded reader does
            }
            byte[] answer = in.readNBytes(8192);
            String text = new String(answer, StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Answer(status, text, sent);
        }
    }
}
