package io.scriptforge.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The cached kubectl against one cluster, run in the repository's root (so {@code -f examples/} works). */
public final class Kubectl {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final Path binary;
    private final Path kubeconfig;
    private final Path workDir;
    private final Path repoRoot;

    /** {@code workDir} holds kubectl's discovery cache and the captured output of each run. */
    public Kubectl(Path binary, Path kubeconfig, Path workDir, Path repoRoot) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
        this.repoRoot = repoRoot;
    }

    /** Runs kubectl and returns what it printed; fails when it takes longer than two minutes. */
    public CommandResult run(String... args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    public CommandResult run(Duration timeout, String... args) {
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "kubectl", ".out");
            Path err = Files.createTempFile(workDir, "kubectl", ".err");
            try {
                Process process = builder(args)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(
                            "kubectl " + String.join(" ", args) + " did not finish in " + timeout.toSeconds() + " s");
                }
                return new CommandResult(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kubectl", e);
        }
    }

    /** Starts a long-running kubectl (port-forward, logs -f) whose output goes to {@code log}; the caller stops it. */
    public Process start(Path log, String... args) {
        try {
            Files.createDirectories(log.getParent());
            return builder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repoRoot.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        // kubectl's discovery cache, otherwise in ~/.kube/cache.
        builder.environment()
                .put("KUBECACHEDIR", workDir.resolve("kubectl-cache").toString());
        return builder;
    }
}
