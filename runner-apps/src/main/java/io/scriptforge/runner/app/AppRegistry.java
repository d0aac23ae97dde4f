package io.scriptforge.runner.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppSpec;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifestException;
import io.scriptforge.manifest.AppManifestParser;
import io.scriptforge.runner.db.DatabaseRetries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Apps a runner serves, by namespace/name, whatever their source. An App whose spec, password
 * and files are unchanged keeps its running runtime; a changed one is started anew (its database
 * migrated, its service evaluated) before the old one is closed, so it never answers 404 meanwhile. An App
 * whose database did not answer is started again, with a backoff, until it does.
 */
public final class AppRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppRegistry.class);

    private final AppPlatform platform;
    private final ObjectMapper json;
    private final boolean argOrderKept;
    private final ConcurrentHashMap<String, AppRuntime> byName = new ConcurrentHashMap<>();
    private final Map<String, String> sourceOf = new ConcurrentHashMap<>();
    private final DatabaseRetries restarts = new DatabaseRetries("scriptforge-app-restarts");
    private volatile Consumer<AppRuntime> restarted = runtime -> {};

    /**
     * @param argOrderKept true in local mode (YAML read as written); false in cluster mode, where the API
     *                     server sorts object keys, so statement args need the list form
     */
    public AppRegistry(AppPlatform platform, ObjectMapper json, boolean argOrderKept) {
        this.platform = platform;
        this.json = json;
        this.argOrderKept = argOrderKept;
    }

    public Optional<AppRuntime> byName(String namespace, String name) {
        return Optional.ofNullable(byName.get(namespace + "/" + name));
    }

    public Collection<AppRuntime> all() {
        List<AppRuntime> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(AppRuntime::qualifiedName));
        return all;
    }

    /** Serves {@code app} as declared by {@code source}, resolving its Secret and ConfigMap through {@code inputs}. */
    public synchronized void apply(String source, App app, AppInputs inputs) {
        String namespace = app.getMetadata().getNamespace() == null
                ? "default"
                : app.getMetadata().getNamespace();
        String key = namespace + "/" + app.getMetadata().getName();
        String owner = sourceOf.get(key);
        if (owner != null && !owner.equals(source)) {
            LOG.errorf("%s: App %s is also declared in %s: keep one (this one is ignored)", source, key, owner);
            return;
        }
        AppSpec spec = app.getSpec() == null ? new AppSpec() : app.getSpec();
        List<String> problems = new ArrayList<>();
        String password = null;
        if (spec.getPasswordSecretRef() != null) {
            password = inputs.secret(namespace, spec.getPasswordSecretRef()).orElse(null);
            if (password == null) {
                problems.add("spec.passwordSecretRef: Secret " + namespace + "/"
                        + spec.getPasswordSecretRef().getName() + " has no key '"
                        + spec.getPasswordSecretRef().getKey() + "' (create it, or fix the reference)");
            }
        }
        byte[] zip = spec.getHttpfilesConfigMap() == null
                ? null
                : inputs.configMapBinary(namespace, spec.getHttpfilesConfigMap())
                        .orElse(null);
        String fingerprint = fingerprint(spec, password, zip);
        AppRuntime current = byName.get(key);
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return;
        }
        AppRuntime next;
        AppManifest manifest = null;
        if (!problems.isEmpty()) {
            next = AppRuntime.failed(namespace, app.getMetadata().getName(), fingerprint, String.join("; ", problems));
        } else {
            try {
                manifest = AppManifestParser.parse(app, password, zip, argOrderKept);
                AppRuntime waiting = waitingForDatabase();
                // Apps share the database: one that waits for it means this one would too, after as long a try.
                next = waiting == null
                        ? platform.start(manifest, fingerprint)
                        : AppRuntime.alsoWaiting(namespace, app.getMetadata().getName(), fingerprint, waiting);
            } catch (AppManifestException e) {
                next = AppRuntime.failed(namespace, app.getMetadata().getName(), fingerprint, e.getMessage());
            }
        }
        if (next.ready()) {
            LOG.infof("App %s served at /apps/%s/ (from %s)", key, key, source);
        } else {
            LOG.errorf("%s: App %s not served: %s", source, key, next.problem());
        }
        byName.put(key, next);
        sourceOf.put(key, source);
        if (current != null) {
            current.close();
        }
        if (next.waitsForDatabase()) {
            restarts.retry(new AppRestart(this, platform, key, manifest, next));
        }
    }

    private AppRuntime waitingForDatabase() {
        return byName.values().stream()
                .filter(AppRuntime::waitsForDatabase)
                .findFirst()
                .orElse(null);
    }

    /** Called with an App's new runtime each time a start that waited for the database was tried again (cluster mode reports it). */
    public void whenRestarted(Consumer<AppRuntime> listener) {
        restarted = listener;
    }

    /** Whether {@code runtime} is still how the App is served: not applied anew nor removed since. */
    boolean serves(String key, AppRuntime runtime) {
        return byName.get(key) == runtime;
    }

    /** Serves the App by {@code next} in place of {@code waiting}, unless it was applied anew or removed meanwhile. */
    boolean replace(String key, AppRuntime waiting, AppRuntime next) {
        synchronized (this) {
            if (byName.get(key) != waiting) {
                return false;
            }
            byName.put(key, next);
        }
        if (next.ready()) {
            LOG.infof("App %s served at /apps/%s/: its database answers", key, key);
        } else if (!next.waitsForDatabase()) {
            LOG.errorf("App %s not served: %s", key, next.problem());
        }
        restarted.accept(next);
        return true;
    }

    /** Ends every App's sessions with 1001 and {@code reason}; completes once their close frames are written. */
    public CompletableFuture<Void> endSessions(String reason) {
        return CompletableFuture.allOf(
                all().stream().map(app -> app.endSessions(reason)).toArray(CompletableFuture[]::new));
    }

    /** Stops serving an App: its sessions are closed; its data stays in the database. */
    public synchronized void remove(String namespace, String name) {
        String key = namespace + "/" + name;
        sourceOf.remove(key);
        AppRuntime gone = byName.remove(key);
        if (gone != null) {
            gone.close();
            if (gone.schema() != null) {
                platform.database().closeApp(gone.schema());
            }
            LOG.infof("App %s no longer served (its data stays in the database)", key);
        }
    }

    /** The Apps a source declares now, for sources that report complete sets (local mode files). */
    public synchronized List<String> declaredBy(String source) {
        return sourceOf.entrySet().stream()
                .filter(e -> e.getValue().equals(source))
                .map(Map.Entry::getKey)
                .toList();
    }

    private String fingerprint(AppSpec spec, String password, byte[] zip) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(json.writeValueAsBytes(spec));
            digest.update((byte) 0);
            digest.update(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(zip == null ? new byte[0] : zip);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        restarts.close();
        byName.values().forEach(AppRuntime::close);
        byName.clear();
        sourceOf.clear();
    }
}
