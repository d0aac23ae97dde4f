// The Apps benchmark's client (`make bench` runs it through bench/apps.sh): AppWebsocket sessions
// against a runner on 127.0.0.1, JDK only, run as a single-file program (java bench/AppBench.java PORT).
// 1. SqlExec of 10,000 rows: rows/s per run (the rows stream; the client counts SqlRow messages).
// 2. SqlMonitor latency: session B inserts a monitored row, session A waits for the SqlUpdate; p50/p99.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public class AppBench {
    static final int ROWS = Integer.getInteger("rows", 10_000);
    static final int EXEC_RUNS = Integer.getInteger("execRuns", 7);
    static final int EXEC_WARMUP = Integer.getInteger("execWarmup", 3);
    static final int MONITOR_SAMPLES = Integer.getInteger("monitorSamples", 1000);
    static final int MONITOR_WARMUP = Integer.getInteger("monitorWarmup", 200);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (Session reader = new Session(port, "reader"); Session writer = new Session(port, "writer")) {
            reader.send("{\"mt\":\"SqlExec\",\"src\":\"count\",\"statement\":\"count\"}");
            long present = Long.parseLong(field(reader.await("\"SqlRow\"", "count"), "n"));
            if (present < ROWS) {
                writer.send("{\"mt\":\"SqlExec\",\"src\":\"fill\",\"statement\":\"fill\",\"args\":{\"count\":" + (ROWS - present) + "}}");
                writer.await("\"SqlExecResult\"", "fill");
            }
            List<Double> rates = new ArrayList<>();
            for (int run = 0; run < EXEC_WARMUP + EXEC_RUNS; run++) {
                long started = System.nanoTime();
                reader.send("{\"mt\":\"SqlExec\",\"src\":\"all" + run + "\",\"statement\":\"all\",\"args\":{\"limit\":" + ROWS + "}}");
                int rows = reader.countRowsUntilResult("all" + run);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (rows != ROWS) {
                    throw new IllegalStateException("SqlExec returned " + rows + " rows, expected " + ROWS);
                }
                if (run >= EXEC_WARMUP) {
                    rates.add(rows / seconds);
                }
                System.out.printf("exec run %d: %d rows in %.1f ms%n", run, rows, seconds * 1000);
            }
            reader.send("{\"mt\":\"SqlMonitor\",\"src\":\"mon\",\"name\":\"rows\"}");
            reader.await("\"SqlMonitorResult\"", "mon");
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < MONITOR_WARMUP + MONITOR_SAMPLES; i++) {
                long started = System.nanoTime();
                writer.send("{\"mt\":\"SqlInsert\",\"src\":\"i\",\"statement\":\"add\",\"args\":{\"text\":\"m" + i + "\"}}");
                reader.await("\"SqlUpdate\"", "\"m" + i + "\"");
                double ms = (System.nanoTime() - started) / 1e6;
                if (i >= MONITOR_WARMUP) {
                    latencies.add(ms);
                }
            }
            Collections.sort(rates);
            Collections.sort(latencies);
            System.out.printf("RESULT exec_rows=%d exec_runs=%d rows_per_s_median=%.0f rows_per_s_min=%.0f rows_per_s_max=%.0f%n",
                    ROWS, rates.size(), rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1));
            System.out.printf("RESULT monitor_samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                    latencies.size(), pct(latencies, 50), pct(latencies, 99), latencies.get(latencies.size() - 1));
        }
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = at;
        while (end < json.length() && "-0123456789".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        return json.substring(at, end);
    }

    static final class Session implements AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final WebSocket socket;

        Session(int port, String sip) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/apps/default/bench/"), new WebSocket.Listener() {
                        final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                received.add(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).join();
            send("{\"mt\":\"AppChallenge\"}");
            String result = await("AppChallengeResult", "challenge");
            int at = result.indexOf("\"challenge\":\"") + 13;
            String challenge = result.substring(at, result.indexOf('"', at));
            String digest = sha256("bench:example.com:" + sip + ":::" + challenge + ":bench");
            send("{\"mt\":\"AppLogin\",\"app\":\"bench\",\"domain\":\"example.com\",\"sip\":\"" + sip + "\",\"guid\":\"\",\"dn\":\"\",\"digest\":\"" + digest + "\"}");
            if (!await("AppLoginResult", "ok").contains("\"ok\":true")) {
                throw new IllegalStateException("login refused");
            }
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        /** The next message containing both markers; others are skipped. */
        String await(String first, String second) throws InterruptedException {
            while (true) {
                String message = received.poll(30, TimeUnit.SECONDS);
                if (message == null) {
                    throw new IllegalStateException("no message with " + first + " and " + second + " within 30 s");
                }
                if (message.contains("\"error\"")) {
                    throw new IllegalStateException("the runner answered an error: " + message);
                }
                if (message.contains(first) && message.contains(second)) {
                    return message;
                }
            }
        }

        int countRowsUntilResult(String src) throws InterruptedException {
            int rows = 0;
            String srcField = "\"src\":\"" + src + "\"";
            while (true) {
                String message = received.poll(30, TimeUnit.SECONDS);
                if (message == null) {
                    throw new IllegalStateException("SqlExec " + src + " stalled after " + rows + " rows");
                }
                if (!message.contains(srcField)) {
                    continue;
                }
                if (message.contains("\"SqlExecResult\"")) {
                    return rows;
                }
                rows++;
            }
        }

        static String sha256(String text) throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
