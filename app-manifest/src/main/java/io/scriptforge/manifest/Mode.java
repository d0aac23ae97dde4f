package io.scriptforge.manifest;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A mode such as {@code owner.admin}: the parts a session must all hold. A session holds
 * {@code owner} when it logged in from the app's domain, and one part per {@code ~suffix} of the
 * app name it logged in with. Two modes are equal when they have the same parts, in any order.
 */
public record Mode(Set<String> parts) {
    private static final String OWNER = "owner";

    public Mode {
        parts = Set.copyOf(parts);
    }

    public static Mode parse(String text) {
        Set<String> parts = Arrays.stream(text.split("\\."))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a mode needs at least one part, e.g. owner or owner.admin");
        }
        return new Mode(parts);
    }

    /** Whether a session holding {@code held} has this mode. */
    public boolean grantedTo(Collection<String> held) {
        return held.containsAll(parts);
    }

    /** How specific it is: a mode of more parts wins over one of fewer. */
    public int specificity() {
        return parts.size();
    }

    /** The mode as written in manifests: {@code owner} first, the other parts sorted (e.g. owner.admin). */
    public String text() {
        TreeSet<String> others = new TreeSet<>(parts);
        boolean owner = others.remove(OWNER);
        return (owner ? OWNER + (others.isEmpty() ? "" : ".") : "") + String.join(".", others);
    }

    @Override
    public String toString() {
        return text();
    }
}
