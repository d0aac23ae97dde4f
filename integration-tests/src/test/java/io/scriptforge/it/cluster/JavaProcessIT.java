package io.scriptforge.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's {@link JavaProcess}: what the operator ITs start the operator and runner jars with. */
@WithCluster
class JavaProcessIT {

    @Test
    void aJarRunsWithTheClusterKubeconfigItsSettingsAndALogAndStopsOnClose(TestCluster cluster, @TempDir Path dir)
            throws IOException {
        Path jar = jarRunning(Echo.class, dir.resolve("echo.jar"));

        ManagedProcess echo = cluster.launch(JavaProcess.jar("echo", jar)
                .systemProperty("greeting", "hello")
                .env("COLOUR", "blue")
                .args("one", "two"));

        Await.untilTrue(
                "echo's last line",
                Duration.ofSeconds(30),
                () -> read(echo.log()).contains("waiting"));
        assertThat(read(echo.log()))
                .contains("KUBECONFIG=" + cluster.kubeconfig(), "greeting=hello", "COLOUR=blue", "args=one,two");

        echo.close();

        assertThat(echo.isAlive()).isFalse();
    }

    /** The jar's main class: prints what it was given, then waits to be stopped. */
    public static final class Echo {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("KUBECONFIG=" + System.getenv("KUBECONFIG"));
            System.out.println("greeting=" + System.getProperty("greeting"));
            System.out.println("COLOUR=" + System.getenv("COLOUR"));
            System.out.println("args=" + String.join(",", args));
            System.out.println("waiting");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static Path jarRunning(Class<?> main, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        String entry = main.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream classFile = main.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
