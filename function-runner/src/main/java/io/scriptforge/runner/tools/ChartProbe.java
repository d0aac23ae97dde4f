package io.scriptforge.runner.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The Helm chart's test pods: calls a URL until it answers the expected status (and body text), then exits 0;
 * exits 1 with the last answer once {@code PROBE_WAIT_SECONDS} (default 180) have passed, 2 on bad arguments.
 * It waits because {@code helm test} may run before the operator has started the pool's runners. Plain Java
 * (java.net.http only, no Quarkus), so the runner image runs it as is:
 * <pre>{@code java -cp '/deployments/app/*' io.scriptforge.runner.tools.ChartProbe GET http://svc/q/health/ready 200}</pre>
 */
public final class ChartProbe {
    private static final Duration PAUSE = Duration.ofSeconds(2);
    private static final int SHOWN_BODY = 400;

    private ChartProbe() {}

    public static void main(String[] args) throws InterruptedException {
        String waitSeconds = Objects.requireNonNullElse(System.getenv("PROBE_WAIT_SECONDS"), "180");
        if (args.length < 3
                || args.length > 4
                || !args[0].matches("GET|POST")
                || !args[2].matches("[1-5][0-9][0-9]")
                || !waitSeconds.matches("[0-9]{1,6}")) {
            System.err.println(
                    "usage: [PROBE_WAIT_SECONDS=180] ChartProbe <GET|POST> <url> <expected status> [<text the body must contain>]");
            System.exit(2);
        }
        String method = args[0];
        URI url = URI.create(args[1]);
        int status = Integer.parseInt(args[2]);
        String text = args.length == 4 ? args[3] : null;
        String wanted =
                method + " " + url + ": expected " + status + (text == null ? "" : " with a body containing " + text);
        Duration wait = Duration.ofSeconds(Long.parseLong(waitSeconds));

        // HTTP/1.1, as curl speaks it: no h2c upgrade attempt.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(5))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .build();
        long deadline = System.nanoTime() + wait.toNanos();
        Answer last = null;
        while (true) {
            Answer answer = answer(http, request);
            if (answer.status() == status && (text == null || answer.text().contains(text))) {
                System.out.println("ok: " + method + " " + url + " answered " + answer);
                System.exit(0);
            }
            if (!answer.equals(last)) {
                System.out.println("waiting (" + wanted + "): " + answer);
                last = answer;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("FAILED after " + wait.toSeconds() + " s: " + wanted + "; last answer: " + last);
                System.exit(1);
            }
            Thread.sleep(PAUSE);
        }
    }

    /** A status and body, or (status 0) what kept the request from being answered. */
    private record Answer(int status, String text) {
        @Override
        public String toString() {
            String line = (status == 0 ? text : status + " " + text)
                    .replaceAll("\\s+", " ")
                    .strip();
            return line.length() <= SHOWN_BODY ? line : line.substring(0, SHOWN_BODY) + "...";
        }
    }

    private static Answer answer(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(
                    0,
                    "no answer (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")");
        }
    }
}
