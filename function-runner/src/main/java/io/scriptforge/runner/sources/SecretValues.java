package io.scriptforge.runner.sources;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.scriptforge.crd.KeyReference;
import io.scriptforge.runner.app.AppInputs;
import java.time.Duration;
import java.util.Optional;

/**
 * The values of the Secret keys Scripts name ({@code spec.auth.bearer}): from the directory in local mode, from the
 * API server in cluster mode (a get, never a list or watch), kept {@link #KEEP} so that a rotated Secret counts
 * that soon and a request costs no API call; a missing one is asked again after {@link #KEEP_MISSING}, so a Secret
 * created after its Script counts at once.
 */
public final class SecretValues {
    static final Duration KEEP = Duration.ofSeconds(10);
    static final Duration KEEP_MISSING = Duration.ofSeconds(1);

    private record Key(String namespace, String name, String key) {}

    private volatile AppInputs source;
    private final Cache<Key, Optional<String>> kept = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfter(Expiry.<Key, Optional<String>>writing((key, value) -> value.isPresent() ? KEEP : KEEP_MISSING))
            .build();

    /** Where the values come from, once the runner's loader has started. */
    public void readFrom(AppInputs inputs) {
        this.source = inputs;
        kept.invalidateAll();
    }

    /** The value of {@code ref} in {@code namespace}, or empty when there is no such Secret or key (yet). May block. */
    public Optional<String> value(String namespace, KeyReference ref) {
        AppInputs inputs = source;
        if (inputs == null) {
            return Optional.empty();
        }
        return kept.get(new Key(namespace, ref.getName(), ref.getKey()), key -> inputs.secret(namespace, ref));
    }
}
