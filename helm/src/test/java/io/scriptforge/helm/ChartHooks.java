package io.scriptforge.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The chart's hooks (its {@code helm test} pods) for tests that render it: helm-java's template prints the release
 * manifest alone, never the hooks. A copy of the chart whose {@code helm.sh/hook*} annotations are renamed to
 * {@value #RENAMED}{@code *} renders them as plain objects, beside everything else.
 */
public final class ChartHooks {
    /** What {@code helm.sh/hook} becomes in the copy: {@code unhooked.helm.sh/hook}, {@code unhooked.helm.sh/hook-delete-policy}. */
    public static final String RENAMED = "unhooked.helm.sh/hook";

    private ChartHooks() {}

    /** A copy of {@code chart} in a new temporary directory, its hooks turned into plain templates. */
    public static Path unhooked(Path chart) {
        try {
            Path copy = Files.createTempDirectory("chart-unhooked").resolve(chart.getFileName());
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(chart.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (file.toString().endsWith(".yaml")) {
                        Files.writeString(target, Files.readString(file).replace("helm.sh/hook", RENAMED));
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the chart " + chart, e);
        }
    }
}
