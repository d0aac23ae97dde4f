package io.scriptforge.it.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root: the nearest directory, upwards, that holds {@code crds/yaml}. */
public final class RepoRoot {

    private RepoRoot() {}

    public static Path find(Path from) {
        for (Path dir = from.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("crds/yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding crds/yaml above " + from);
    }
}
