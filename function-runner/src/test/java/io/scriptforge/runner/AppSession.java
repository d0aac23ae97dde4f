package io.scriptforge.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.session.LoginDigest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An AppWebsocket client, as an app's browser code would be: JSON messages over the app's base URL. */
public final class AppSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private String sessionKey;

    private AppSession(URI uri) {
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received.add(RunnerClient.parse(partial.toString()));
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(-1);
                    }
                })
                .join();
    }

    /** Connects to {@code /apps/{namespace}/{app}/} of the runner at {@code base}. */
    public static AppSession open(URL base, String namespace, String app) {
        return new AppSession(
                URI.create(base.toString().replaceFirst("^http", "ws") + "apps/" + namespace + "/" + app + "/"));
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    public void send(ObjectNode message) {
        send(message.toString());
    }

    public static ObjectNode message(String mt, String src) {
        ObjectNode message = JSON.createObjectNode().put("mt", mt);
        return src == null ? message : message.put("src", src);
    }

    /** An empty JSON object, for args and ConfigItems. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The next message matching {@code wanted}; earlier ones that do not match are dropped. */
    public JsonNode next(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no matching message within " + WAIT.toSeconds() + " s");
                }
                if (wanted.test(message)) {
                    return message;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Every message up to and including the first that matches {@code last}, in order. */
    public List<JsonNode> until(Predicate<JsonNode> last) {
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            JsonNode message = next(m -> true);
            messages.add(message);
            if (last.test(message)) {
                return messages;
            }
        }
    }

    public static Predicate<JsonNode> mt(String mt) {
        return m -> mt.equals(m.path("mt").asText());
    }

    public static Predicate<JsonNode> mt(String mt, String src) {
        return m -> mt.equals(m.path("mt").asText()) && src.equals(m.path("src").asText());
    }

    /** A message already received, without waiting; null when none. */
    public JsonNode poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Logs in with the app password as the seed's clients do; returns the AppLoginResult. */
    public JsonNode login(String app, String domain, String sip, String password) {
        send(message("AppChallenge", "c"));
        String challenge = next(mt("AppChallengeResult")).path("challenge").asText();
        String digest = LoginDigest.digest(app, domain, sip, "", "", null, challenge, password);
        send(message("AppLogin", "l")
                .put("app", app)
                .put("domain", domain)
                .put("sip", sip)
                .put("guid", "")
                .put("dn", "")
                .put("digest", digest));
        JsonNode result = next(mt("AppLoginResult"));
        sessionKey = LoginDigest.sessionKey(challenge, password);
        return result;
    }

    /** The key dbfiles requests of this session carry. */
    public String dbfilesKey() {
        return LoginDigest.dbfilesKey(sessionKey);
    }

    /** The close code once the server closed the socket. */
    public int awaitClosed() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            socket.abort();
        }
    }
}
