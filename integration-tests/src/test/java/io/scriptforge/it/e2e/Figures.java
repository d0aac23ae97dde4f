package io.scriptforge.it.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the E2E tests measured, one line each, printed and kept in target/e2e-logs/figures.md for the run's report. */
final class Figures {
    private Figures() {}

    static synchronized void record(RealNode node, String what, String value) {
        String line = "- " + what + ": " + value;
        System.out.println("E2E figure " + line);
        try {
            Path file = node.logsDir().resolve("figures.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("E2E: could not write the figure: " + e.getMessage());
        }
    }

    static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }
}
