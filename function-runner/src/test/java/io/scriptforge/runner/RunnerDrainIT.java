package io.scriptforge.runner;

import static io.scriptforge.runner.AppSession.message;
import static io.scriptforge.runner.AppSession.mt;
import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.runner.kv.KvStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling update, as a Deployment does it: steady keep-alive load through a Service onto two runners, then one of
 * them gets SIGTERM while the endpoint controller and kube-proxy take it out of the Service a second later. Every
 * request any client sent must be answered, and an App session on the old runner serves until the drain is over,
 * then ends with 1001 (going away) so its client reconnects elsewhere.
 * <p>
 * The clients resend a request that got no byte of answer, as Go's HTTP client and the JDK's (with
 * {@code jdk.httpclient.enableAllMethodRetry}) do: an idle keep-alive connection the runner closes may be picked by a
 * client before its end reaches it, a race HTTP/1.1 has no way around. Each attempt leaves a receipt in the database
 * as its Script's first act, so the test tells such an attempt (never received) from one a runner took and lost.
 */
class RunnerDrainIT {
    private static final String UUID = "6a1d8c2e-4b7f-4e3a-9c5d-0f1e2d3c4b5a";
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Duration KUBE_PROXY_LAG = Duration.ofSeconds(1);
    private static final Duration SLOW = Duration.ofSeconds(2);
    private static final int CLIENTS = 8;
    private static final int ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String CODE = """
            function main(data) {
              var runner = process.env.RUNNER;
              if (!data.ms) { kv.set("received:" + data.n + ":" + data.attempt, runner); return runner + " " + data.n; }
              return new Promise(function (resolve) { setTimeout(function () { resolve(runner + " slept " + data.ms); }, data.ms); });
            }""";

    /** One request of the load: when it was sent and answered, by which runner and how; or why it had no answer. */
    private record Answer(
            int n,
            int attempt,
            long sentNanos,
            long atNanos,
            String runner,
            int status,
            String body,
            String connection,
            String failure) {
        String receipt() {
            return "received:" + n + ":" + attempt;
        }

        /** When, from SIGTERM, it was sent and answered: what a failure is read against. */
        String timeline(long terminated) {
            return "#" + n + " attempt " + attempt + " sent at " + (sentNanos - terminated) / 1_000_000 + " ms, "
                    + (failure == null
                            ? "answered " + status + " \"" + body + "\" (Connection: " + connection + ") at "
                                    + (atNanos - terminated) / 1_000_000 + " ms"
                            : "failed: " + failure);
        }
    }

    @Test
    void drainingRunnerAnswersEveryRequestItWasSent(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.start();
                RunnerProcess old = runner("old", dir, database);
                RunnerProcess other = runner("other", dir, database)) {
            old.awaitReady(Duration.ofSeconds(120));
            other.awaitReady(Duration.ofSeconds(120));
            try (ServiceProxy service = new ServiceProxy(List.of(old.port(), other.port()));
                    AppSession session = AppSession.open(old.uri("/").toURL(), "default", "notes")) {
                assertThat(session.login("notes", "example.com", "alice", "pwd")
                                .path("ok")
                                .asBoolean())
                        .isTrue();
                ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
                AtomicBoolean loading = new AtomicBoolean(true);
                List<Thread> clients = load(service.port(), answers, loading);
                awaitUntil(
                        "answers from both runners",
                        Duration.ofSeconds(30),
                        () -> answers.stream()
                                        .map(Answer::runner)
                                        .filter(Objects::nonNull)
                                        .distinct()
                                        .count()
                                == 2);
                Socket idle = idleKeepAlive(old);

                long terminated = System.nanoTime();
                old.terminate();
                CompletableFuture<Boolean> idleClosed =
                        CompletableFuture.supplyAsync(() -> closedByPeerWithin(idle, DRAIN));

                awaitUntil(
                        "the old runner's readiness to answer 503",
                        Duration.ofSeconds(1),
                        () -> old.readiness() == 503);
                long notReady = System.nanoTime();
                sleepUntil(terminated + KUBE_PROXY_LAG.toNanos());
                service.remove(old.port());
                sleepUntil(terminated + DRAIN.minus(SLOW.dividedBy(2)).toNanos());
                session.send(message("SqlExec", "drain").put("statement", "list"));
                session.next(mt("SqlExecResult", "drain"));
                HttpResponse<String> slow = invoke(old.uri("/v1/invoke/" + UUID), "{\"ms\":" + SLOW.toMillis() + "}")
                        .join();
                int exit = old.awaitExit(DRAIN.plus(SLOW).plusSeconds(15));
                long exited = System.nanoTime();
                awaitUntil(
                        "answers from the other runner after the old one left",
                        Duration.ofSeconds(10),
                        () -> answers.stream().anyMatch(a -> a.atNanos() > exited && "other".equals(a.runner())));
                loading.set(false);
                for (Thread client : clients) {
                    client.join();
                }

                assertThat(idleClosed.join())
                        .as("an idle keep-alive connection is closed during the drain")
                        .isTrue();
                Set<String> received = receipts(database);
                System.out.printf(
                        "%d requests, %d attempts that never reached a runner (resent)%n",
                        answers.stream().map(Answer::n).distinct().count(),
                        answers.stream()
                                .filter(a -> a.failure() != null && !received.contains(a.receipt()))
                                .count());
                assertThat(answers.stream()
                                .filter(a ->
                                        a.status() != 200 && (a.failure() == null || received.contains(a.receipt())))
                                .map(a -> a.timeline(terminated)))
                        .as("requests a runner received that had no answer, or not their Script's")
                        .isEmpty();
                Set<Integer> answered = answers.stream()
                        .filter(a -> a.status() == 200)
                        .map(Answer::n)
                        .collect(Collectors.toSet());
                assertThat(answers.stream()
                                .filter(a -> !answered.contains(a.n()))
                                .map(a -> a.timeline(terminated)))
                        .as("requests with no answer, even sent " + ATTEMPTS + " times")
                        .isEmpty();
                assertThat(answers.stream()
                                .filter(a -> "old".equals(a.runner())
                                        && a.sentNanos() > notReady
                                        && !a.connection().equals("close"))
                                .map(a -> a.timeline(terminated)))
                        .as("answers of the draining runner that kept their connection open")
                        .isEmpty();
                assertThat(slow.statusCode()).isEqualTo(200);
                assertThat(slow.body()).isEqualTo("old slept " + SLOW.toMillis());
                assertThat(slow.headers().firstValue("connection"))
                        .as("the slow answer's Connection header")
                        .hasValue("close");
                assertThat(session.awaitClosed())
                        .as("the App session's close code, once the drain is over")
                        .isEqualTo(1001);
                assertThat(exit).as("exit code").isZero();
                assertThat(Duration.ofNanos(exited - terminated))
                        .isLessThan(DRAIN.plus(SLOW).plusSeconds(10));
            }
        }
    }

    /** A replica serving the Script, whose env tells its answers apart, and the notes App, on the pool's database. */
    private static RunnerProcess runner(String name, Path parent, EmbeddedPostgres database) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(
                dir.resolve("echo.yaml"),
                RunnerClient.yaml("echo", "app", CODE, "uuid: " + UUID, "env: {RUNNER: " + name + "}"));
        Files.copy(AppDatabaseRecoveryIT.NOTES, dir.resolve("notes.yaml"));
        return RunnerProcess.start(
                name,
                Map.of(
                        "scriptforge.dir",
                        dir.toString(),
                        "scriptforge.shutdown.drain-delay",
                        DRAIN.toSeconds() + "s",
                        "scriptforge.database.url",
                        database.getJdbcUrl("postgres", "postgres")));
    }

    /**
     * {@link #CLIENTS} clients, each sending one request after the other on the HTTP/1.1 keep-alive connections of a
     * shared pool, and sending one that had no answer again (at most {@link #ATTEMPTS} times in all).
     */
    private static List<Thread> load(int port, ConcurrentLinkedQueue<Answer> answers, AtomicBoolean loading) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/invoke/" + UUID);
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    int n = sequence.incrementAndGet();
                    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> response = invoke(uri, "{\"n\":" + n + ",\"attempt\":" + attempt + "}")
                                    .join();
                            answers.add(new Answer(
                                    n,
                                    attempt,
                                    sent,
                                    System.nanoTime(),
                                    response.body().split(" ")[0],
                                    response.statusCode(),
                                    response.body(),
                                    response.headers().firstValue("connection").orElse(""),
                                    null));
                            break;
                        } catch (RuntimeException e) {
                            answers.add(
                                    new Answer(n, attempt, sent, System.nanoTime(), null, 0, null, null, e.toString()));
                        }
                    }
                }
            }));
        }
        return clients;
    }

    /** The receipts the Script's invocations left, once every client stopped. */
    private static Set<String> receipts(EmbeddedPostgres database) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection connection = database.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT key FROM " + KvStore.TABLE + " WHERE key LIKE 'received:%'")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    private static CompletableFuture<HttpResponse<String>> invoke(URI uri, String body) {
        return HTTP.sendAsync(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A connection to the runner that had one answer, kept alive, and then sends nothing more. */
    private static Socket idleKeepAlive(RunnerProcess runner) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), runner.port());
        socket.getOutputStream()
                .write("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        String length = head.toString()
                .lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .findFirst()
                .orElseThrow();
        in.readNBytes(Integer.parseInt(length.substring(length.indexOf(':') + 1).trim()));
        assertThat(head.toString()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
        return socket;
    }

    /** Whether the other side closes {@code socket} (without sending anything) within {@code timeout}. */
    private static boolean closedByPeerWithin(Socket socket, Duration timeout) {
        try (socket) {
            socket.setSoTimeout((int) timeout.toMillis());
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    private static void awaitUntil(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            RunnerClient.sleep(20);
        }
    }

    /** Waits for a moment of the rollout's timeline (the kube-proxy lag, the end of the drain), measured from SIGTERM. */
    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
