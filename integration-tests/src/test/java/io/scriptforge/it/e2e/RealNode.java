package io.scriptforge.it.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.scriptforge.it.cluster.Binaries;
import io.scriptforge.it.cluster.CommandResult;
import io.scriptforge.it.cluster.Kubectl;
import io.scriptforge.it.cluster.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real single-node cluster the *E2E tests run on: {@code hack/node.sh} started it (make e2e), and its admin
 * kubeconfig is the {@value #KUBECONFIG_PROPERTY} system property. From this machine, the node's Service ClusterIPs
 * (through kube-proxy) and pod IPs are routed into the node's network namespace, so tests call them directly.
 */
public final class RealNode implements AutoCloseable {
    public static final String KUBECONFIG_PROPERTY = "scriptforge.e2e.kubeconfig";

    private final Path repoRoot;
    private final Path logsDir;
    private final Path kubeconfig;
    private final Kubectl kubectl;
    private final KubernetesClient client;

    private RealNode(Path repoRoot, Path logsDir, Path kubeconfig, Path kubectlBinary) {
        this.repoRoot = repoRoot;
        this.logsDir = logsDir;
        this.kubeconfig = kubeconfig;
        this.kubectl = new Kubectl(kubectlBinary, kubeconfig, logsDir.resolve("kubectl"), repoRoot);
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(read(kubeconfig)))
                .build();
    }

    /** The node named by the system property; fails saying how to start one when there is none. */
    static RealNode connect() {
        String configured = System.getProperty(KUBECONFIG_PROPERTY, "");
        if (configured.isBlank() || !Files.isReadable(Path.of(configured))) {
            throw new IllegalStateException(
                    "the *E2E tests need a real node: run them with `make e2e` (it starts one with"
                            + " hack/node.sh and passes -D" + KUBECONFIG_PROPERTY + "=<its kubeconfig>); got '"
                            + configured + "'");
        }
        Path target =
                Path.of(System.getProperty("scriptforge.it.target", "target")).toAbsolutePath();
        Path repoRoot = RepoRoot.find(target);
        Path logsDir = target.resolve("e2e-logs");
        Path bin = Binaries.ensure(repoRoot, logsDir);
        return new RealNode(repoRoot, logsDir, Path.of(configured), bin.resolve("kubectl"));
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path repoRoot() {
        return repoRoot;
    }

    /** Where the tests write what they saw (port-forward output, pod logs, figures): target/e2e-logs. */
    public Path logsDir() {
        return logsDir;
    }

    public CommandResult kubectl(String... args) {
        return kubectl.run(args);
    }

    public Process startKubectl(String logName, String... args) {
        return kubectl.start(logsDir.resolve(logName), args);
    }

    /** The Ready pods behind a label selector, e.g. a pool's runners. */
    public List<Pod> readyPods(String namespace, String labelKey, String labelValue) {
        return client.pods().inNamespace(namespace).withLabel(labelKey, labelValue).list().getItems().stream()
                .filter(RealNode::isReady)
                .toList();
    }

    public static boolean isReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * SIGKILL to every process of a pod's first container, from the node itself (by the container's cgroup): the
     * pod stays and the kubelet restarts the container. Inside the container its PID 1 cannot be killed at all.
     */
    public void killContainerProcesses(Pod pod) {
        String containerId = pod.getStatus()
                .getContainerStatuses()
                .getFirst()
                .getContainerID()
                .replaceFirst("^[a-z]+://", "");
        try (Stream<Path> dirs = Files.find(
                Path.of("/sys/fs/cgroup/pids"),
                12,
                (path, attributes) -> attributes.isDirectory()
                        && path.getFileName().toString().equals(containerId))) {
            Path cgroup =
                    dirs.findFirst().orElseThrow(() -> new AssertionError("no cgroup of container " + containerId));
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a pod's log next to the test's other output, for whoever reads a failure. */
    public void saveLog(String namespace, String pod) {
        try {
            String log = client.pods().inNamespace(namespace).withName(pod).getLog();
            Files.createDirectories(logsDir);
            Files.writeString(logsDir.resolve(namespace + "-" + pod + ".log"), log);
        } catch (RuntimeException | IOException e) {
            System.err.println("E2E: could not save the log of " + namespace + "/" + pod + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
