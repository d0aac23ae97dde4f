package io.scriptforge.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control-plane binaries, from {@code hack/k8s-binaries.sh}: it prints the cache directory at once when
 * the binaries are there, and builds them from the Go module proxy first when not (about 9 minutes).
 */
public final class Binaries {

    static final List<String> NAMES =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok");
    private static final long BUILD_TIMEOUT_MINUTES = 40;

    private Binaries() {}

    /** The directory holding every binary of {@link #NAMES}; fails saying why when there is none. */
    public static Path ensure(Path repoRoot, Path logsDir) {
        Path script = repoRoot.resolve("hack/k8s-binaries.sh");
        Path log = logsDir.resolve("k8s-binaries.log");
        Path out = logsDir.resolve("k8s-binaries.out");
        try {
            Files.createDirectories(logsDir);
            Process process = new ProcessBuilder("bash", script.toString())
                    .directory(repoRoot.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(log.toFile())
                    .start();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                System.out.println("TestCluster: building the Kubernetes binaries with " + script
                        + " (9 to 17 minutes on 2 cores, once; progress in " + log + ")");
            }
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + BUILD_TIMEOUT_MINUTES
                        + " minutes; its log:\n" + ManagedProcess.tail(log, 40));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the integration tests need the Kubernetes binaries, and " + script
                        + " could not provide them (exit " + process.exitValue() + "):\n"
                        + ManagedProcess.tail(log, 40));
            }
            List<String> printed = Files.readAllLines(out).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
            if (printed.isEmpty()) {
                throw new IllegalStateException(script + " printed no directory");
            }
            Path dir = Path.of(printed.getLast().strip());
            for (String name : NAMES) {
                if (!Files.isExecutable(dir.resolve(name))) {
                    throw new IllegalStateException(script + " printed " + dir + ", which lacks " + name);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
