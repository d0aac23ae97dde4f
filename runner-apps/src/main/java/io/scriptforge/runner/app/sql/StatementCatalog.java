package io.scriptforge.runner.app.sql;

import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.Statement;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An app's prepared statements by name. Several may share a name, one per mode: a session gets the
 * most specific one its modes grant ({@code owner.admin} over {@code owner}), else the mode-less one.
 */
public final class StatementCatalog {
    private final Map<String, List<Statement>> byName;

    public StatementCatalog(AppManifest manifest) {
        this.byName = Map.copyOf(manifest.statements());
    }

    /** The variant of {@code name} a session holding {@code sessionModes} runs. */
    public Statement select(String name, Set<String> sessionModes) throws StatementRefused {
        List<Statement> variants = byName.get(name);
        if (variants == null || variants.isEmpty()) {
            throw new StatementRefused(
                    "no statement '" + name + "' (known: " + String.join(", ", new TreeSet<>(byName.keySet())) + ")");
        }
        // max() keeps the first of equals, so among equally specific modes the one declared first wins.
        return variants.stream()
                .filter(s -> s.mode() != null && s.mode().grantedTo(sessionModes))
                .max(Comparator.comparingInt(s -> s.mode().specificity()))
                .or(() -> variants.stream().filter(s -> s.mode() == null).findFirst())
                .orElseThrow(() -> new StatementRefused("statement '" + name + "' needs mode " + modes(variants)
                        + "; this session has modes " + ownerFirst(sessionModes)));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    private static String modes(Collection<Statement> variants) {
        return variants.stream()
                .map(s -> String.join(".", ownerFirst(s.mode().parts())))
                .distinct()
                .collect(Collectors.joining(" or "));
    }

    /** Mode parts as the seed writes them: owner first (owner.admin), the rest sorted. */
    private static List<String> ownerFirst(Set<String> parts) {
        return parts.stream()
                .sorted(Comparator.comparing((String p) -> !p.equals("owner")).thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}
