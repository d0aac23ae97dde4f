package io.scriptforge.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged runner ({@code target/quarkus-app}, built before failsafe runs the *IT) as a process of its own, as a
 * pod runs it: with {@code target/jvm.args}, settings as -D flags, and its output in {@code target/runner-logs/<name>.log}.
 */
final class RunnerProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path JVM_ARGS = Path.of("target/jvm.args");
    private static final Path LOGS = Path.of("target/runner-logs");
    private static final String WARM_UP_CAP = "scriptforge.warmup.max-duration";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private RunnerProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a runner on a free port with {@code settings} ({@code scriptforge.*}, {@code quarkus.*}) as system properties.
     * Its warm-up runs as in a pod but stops after 20 s (it may take a minute or two on 2 busy cores): these tests
     * are about draining and recovery, not speed, unless their settings say otherwise.
     */
    static RunnerProcess start(String name, Map<String, String> settings) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    "no " + JAR.toAbsolutePath() + ": the *IT run after the package phase (mvn verify)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                javaCommand(),
                "@" + JVM_ARGS.toAbsolutePath(),
                "-Dquarkus.http.port=" + port,
                "-Dscriptforge.control.token=" + RunnerClient.CONTROL_TOKEN));
        if (!settings.containsKey(WARM_UP_CAP)) {
            command.add("-D" + WARM_UP_CAP + "=20s");
        }
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        Path log = LOGS.resolve(name + ".log");
        try {
            Files.createDirectories(LOGS);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new RunnerProcess(name, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start runner " + name, e);
        }
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The readiness probe's status code; 0 when nothing answers. */
    int readiness() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri("/q/health/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until its readiness probe answers 200; fails at once, with its log, if it exits. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readiness() != 200) {
            if (!process.isAlive()) {
                throw new AssertionError("runner " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "runner " + name + " not ready within " + timeout.toSeconds() + " s:\n" + logTail());
            }
            RunnerClient.sleep(100);
        }
    }

    /** SIGTERM, as the kubelet sends it to a pod being replaced. */
    void terminate() {
        process.destroy();
    }

    /** Its exit code; fails if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    "runner " + name + " still runs " + timeout.toSeconds() + " s after SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills it if it still runs: a test that failed half-way leaves no runner behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
