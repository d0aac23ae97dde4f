package io.scriptforge.it.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar <jar>} on the JDK that runs the tests, started by {@link TestCluster#launch(JavaProcess)}:
 * <pre>{@code
 * ManagedProcess operator = cluster.launch(JavaProcess.jar("operator", operatorJar)
 *         .systemProperty("quarkus.http.port", "0")
 *         .env("SCRIPTFORGE_NAMESPACE", "demo"));
 * }</pre>
 * The cluster gives it {@code KUBECONFIG} (unless set here), logs it to {@code target/k8s-logs/<name>.log},
 * and stops it before the control plane.
 */
public final class JavaProcess {

    /** Set on every process this starts, to the owning module's target directory: see TestCluster. */
    // Outside the scriptforge.* prefix: the runner refuses unknown keys of its own configuration.
    static final String OWNER_PROPERTY = "it-owner.scriptforge";

    private final String name;
    private final Path jar;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    private JavaProcess(String name, Path jar) {
        this.name = name;
        this.jar = jar;
    }

    /** {@code name} names the log file: target/k8s-logs/{@code name}.log. */
    public static JavaProcess jar(String name, Path jar) {
        return new JavaProcess(name, jar);
    }

    public JavaProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public JavaProcess systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /** A JVM option such as {@code -Xmx256m}, placed before {@code -jar}. */
    public JavaProcess jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Arguments after the jar. */
    public JavaProcess args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public String name() {
        return name;
    }

    /** The java launcher of the JVM running the tests. */
    static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    ManagedProcess start(Path workDir, Path logsDir, Path owner, Map<String, String> defaultEnv) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": no jar at " + jar + " (build that module first)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.add("-D" + OWNER_PROPERTY + "=" + owner);
        command.addAll(jvmArgs);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        Map<String, String> environment = new LinkedHashMap<>(defaultEnv);
        environment.putAll(env);
        return ManagedProcess.start(name, command, environment, workDir, logsDir);
    }
}
