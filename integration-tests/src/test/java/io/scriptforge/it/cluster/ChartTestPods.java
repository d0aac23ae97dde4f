package io.scriptforge.it.cluster;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.scriptforge.helm.ChartHooks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart's {@code helm test} pods, run here as their container runs them: the same command and arguments, with
 * the runner jar's own classes for the image's {@code /deployments/app}, and a local address for the pool's Service.
 * (kwok never runs a container, so {@code helm test} itself cannot run against the test cluster.)
 */
public final class ChartTestPods {
    private static final String IMAGE_APP = "/deployments/app/*";

    private ChartTestPods() {}

    /** The test pods the chart renders for release "scriptforge" in {@code namespace}. */
    public static List<Pod> render(TestCluster cluster, String namespace) {
        String manifests = new Helm(ChartHooks.unhooked(cluster.repoRoot().resolve("helm/scriptforge")))
                .template()
                .withName("scriptforge")
                .withNamespace(namespace)
                .withKubeVersion("1.32.3")
                .call();
        return cluster
                .client()
                .load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8)))
                .items()
                .stream()
                .filter(Pod.class::isInstance)
                .map(Pod.class::cast)
                .filter(pod -> "test".equals(pod.getMetadata().getAnnotations().get(ChartHooks.RENAMED)))
                .toList();
    }

    /** Runs the pod's one container here, its URLs' {@code service} prefix replaced by {@code local}. */
    public static CommandResult run(
            TestCluster cluster, Pod pod, String service, String local, Map<String, String> env) {
        Container container = pod.getSpec().getContainers().getFirst();
        Path app = cluster.repoRoot().resolve("function-runner/target/quarkus-app/app");
        List<String> command = new ArrayList<>();
        command.add(JavaProcess.javaCommand());
        container.getCommand().stream()
                .skip(1)
                .map(arg -> arg.equals(IMAGE_APP) ? app + "/*" : arg)
                .forEach(command::add);
        container.getArgs().stream()
                .map(arg -> arg.startsWith(service) ? local + arg.substring(service.length()) : arg)
                .forEach(command::add);
        try {
            Path out = Files.createTempFile(cluster.logsDir(), pod.getMetadata().getName(), ".out");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(pod.getMetadata().getName() + " did not finish in 2 minutes: " + command);
            }
            return new CommandResult(process.exitValue(), Files.readString(out), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
