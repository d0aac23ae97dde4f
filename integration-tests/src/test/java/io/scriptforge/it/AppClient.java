package io.scriptforge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A logged-in AppWebsocket session against a runner process, as an app's browser code would hold one. */
public final class AppClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    public final String dbfilesKey;

    AppClient(int port, String namespace, String app, String sip, String password) throws Exception {
        this("127.0.0.1:" + port, namespace, app, sip, password);
    }

    /** A session with the runner (or Service) at {@code hostAndPort}, e.g. {@code 10.215.0.12:80}. */
    public AppClient(String hostAndPort, String namespace, String app, String sip, String password) throws Exception {
        socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://" + hostAndPort + "/apps/" + namespace + "/" + app + "/"),
                        new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    try {
                                        received.add(JSON.readTree(partial.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    partial.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .join();
        send("{\"mt\":\"AppChallenge\"}");
        String challenge = next("AppChallengeResult").path("challenge").asText();
        String digest = sha256(app + ":example.com:" + sip + ":::" + challenge + ":" + password);
        send(JSON.createObjectNode()
                .put("mt", "AppLogin")
                .put("app", app)
                .put("domain", "example.com")
                .put("sip", sip)
                .put("guid", "")
                .put("dn", "")
                .put("digest", digest)
                .toString());
        if (!next("AppLoginResult").path("ok").asBoolean()) {
            throw new AssertionError("login refused");
        }
        dbfilesKey = sha256("generic-dbfiles:" + sha256("innovaphoneAppSessionKey:" + challenge + ":" + password));
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next message of type {@code mt} within 20 s; others are skipped. */
    public JsonNode next(String mt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message != null && mt.equals(message.path("mt").asText())) {
                return message;
            }
        }
        throw new AssertionError("no " + mt + " within 20 s");
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
