package io.scriptforge.manifest;

import java.util.List;

/** An App manifest that cannot be served, with every problem found and where (spec.database.init[2].query...). */
public final class AppManifestException extends Exception {
    private final List<String> problems;

    public AppManifestException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
