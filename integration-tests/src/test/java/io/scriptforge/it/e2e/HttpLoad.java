package io.scriptforge.it.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady HTTP load: {@code clients} workers, each with its own keep-alive connection, POSTing one request after
 * another (or at a set pace) until stopped, bounded in time. Every response (and every failure to get one) is recorded. POST on purpose:
 * the JDK client never retries it, so a connection that dies with a request on it counts as the failure it is.
 */
final class HttpLoad implements AutoCloseable {
    /** One request: when it was sent (nanos since the load began), how long it took, and what came back. */
    record Outcome(long sentNanos, long latencyNanos, int status, String body, String error) {
        boolean ok() {
            return error == null && status == 200;
        }

        /** The runner that answered, for the test Scripts that return {@code {host: process.env.EXEC_HOST}}. */
        String host() {
            if (!ok()) {
                return null;
            }
            Matcher matcher = HOST.matcher(body);
            return matcher.find() ? matcher.group(1) : null;
        }

        @Override
        public String toString() {
            return String.format(
                    "at %.2f s: %s (%d ms)",
                    sentNanos / 1e9, error != null ? error : status + " " + body, latencyNanos / 1_000_000);
        }
    }

    private static final Pattern HOST = Pattern.compile("\"host\":\"([^\"]+)\"");
    /** A bound for a test that forgets to stop: longer than any test's load (a rollout of runners that warm up to 2 min each takes 6). */
    private static final Duration MAX_DURATION = Duration.ofMinutes(12);

    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final long began = System.nanoTime();

    private HttpLoad(int clients, URI uri, String body, Duration requestTimeout, Duration interval) {
        for (int i = 0; i < clients; i++) {
            workers.add(Thread.ofVirtual().name("load-" + i).start(() -> run(uri, body, requestTimeout, interval)));
        }
    }

    /** As fast as the clients get answers. */
    static HttpLoad start(int clients, URI uri, String body, Duration requestTimeout) {
        return new HttpLoad(clients, uri, body, requestTimeout, Duration.ZERO);
    }

    /**
     * About {@code perSecond} requests a second in all, spread over the clients: each sends at most one request
     * per {@code clients / perSecond} seconds, and at once when an answer took longer than that (no bursts).
     */
    static HttpLoad paced(int clients, int perSecond, URI uri, String body, Duration requestTimeout) {
        return new HttpLoad(clients, uri, body, requestTimeout, Duration.ofNanos(1_000_000_000L * clients / perSecond));
    }

    private void run(URI uri, String body, Duration requestTimeout, Duration interval) {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build()) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            while (!stopped.get() && System.nanoTime() - began < MAX_DURATION.toNanos()) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    outcomes.add(new Outcome(
                            sent - began, System.nanoTime() - sent, response.statusCode(), response.body(), null));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    outcomes.add(new Outcome(
                            sent - began,
                            System.nanoTime() - sent,
                            0,
                            null,
                            e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
                long rest = interval.toNanos() - (System.nanoTime() - sent);
                if (rest > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(rest));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Stops sending, waits for the requests in flight, and returns every outcome in the order they were sent. */
    List<Outcome> stop() {
        stopped.set(true);
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return outcomes();
    }

    /** What has come back so far. */
    List<Outcome> outcomes() {
        return outcomes.stream()
                .sorted(Comparator.comparingLong(Outcome::sentNanos))
                .toList();
    }

    long elapsedNanos() {
        return System.nanoTime() - began;
    }

    @Override
    public void close() {
        stop();
    }

    static List<Outcome> failures(List<Outcome> outcomes) {
        return outcomes.stream().filter(Predicate.not(Outcome::ok)).toList();
    }

    /** The p-th percentile (0-100) of the latencies, in milliseconds; NaN when there are none. */
    static double percentileMillis(List<Outcome> outcomes, double p) {
        if (outcomes.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted =
                outcomes.stream().mapToLong(Outcome::latencyNanos).sorted().toArray();
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
        return sorted[index] / 1e6;
    }

    /** Groups outcomes by what {@code key} reads from them (e.g. the pod that answered). */
    static <K> java.util.Map<K, List<Outcome>> by(List<Outcome> outcomes, Function<Outcome, K> key) {
        java.util.Map<K, List<Outcome>> groups = new java.util.LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            K k = key.apply(outcome);
            if (k != null) {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(outcome);
            }
        }
        return groups;
    }
}
