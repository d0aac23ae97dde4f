package io.scriptforge.runner.app;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.scriptforge.crd.App;
import io.scriptforge.crd.KeyReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local mode's Apps: the App, Secret and ConfigMap documents of the YAML directory. A file's
 * documents replace what that file declared before; any change re-applies every App, and the
 * registry keeps those whose inputs did not change.
 */
public final class LocalApps implements AppInputs {
    private record Declared(List<App> apps, List<Secret> secrets, List<ConfigMap> configMaps) {}

    private final AppRegistry registry;
    private final Map<String, Declared> bySource = new HashMap<>();

    public LocalApps(AppRegistry registry) {
        this.registry = registry;
    }

    public synchronized void replaceSource(
            String source, List<App> apps, List<Secret> secrets, List<ConfigMap> configMaps) {
        Declared before = bySource.get(source);
        if (apps.isEmpty() && secrets.isEmpty() && configMaps.isEmpty()) {
            if (before == null) {
                return;
            }
            bySource.remove(source);
        } else {
            bySource.put(source, new Declared(List.copyOf(apps), List.copyOf(secrets), List.copyOf(configMaps)));
        }
        if (before != null) {
            for (String key : registry.declaredBy(source)) {
                boolean stays = apps.stream()
                        .anyMatch(a -> key.equals(a.getMetadata().getNamespace() + "/"
                                + a.getMetadata().getName()));
                if (!stays) {
                    String[] parts = key.split("/", 2);
                    registry.remove(parts[0], parts[1]);
                }
            }
        }
        bySource.forEach((file, declared) -> declared.apps().forEach(app -> registry.apply(file, app, this)));
    }

    @Override
    public synchronized Optional<String> secret(String namespace, KeyReference ref) {
        for (Declared declared : bySource.values()) {
            for (Secret secret : declared.secrets()) {
                if (matches(secret.getMetadata(), namespace, ref.getName())) {
                    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
                        return Optional.of(secret.getStringData().get(ref.getKey()));
                    }
                    if (secret.getData() != null && secret.getData().containsKey(ref.getKey())) {
                        return Optional.of(new String(
                                Base64.getMimeDecoder().decode(secret.getData().get(ref.getKey())),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<byte[]> configMapBinary(String namespace, KeyReference ref) {
        for (Declared declared : bySource.values()) {
            for (ConfigMap map : declared.configMaps()) {
                if (matches(map.getMetadata(), namespace, ref.getName())
                        && map.getBinaryData() != null
                        && map.getBinaryData().containsKey(ref.getKey())) {
                    return Optional.of(
                            Base64.getMimeDecoder().decode(map.getBinaryData().get(ref.getKey())));
                }
            }
        }
        return Optional.empty();
    }

    /** Every App declared, for tests and listings. */
    public synchronized List<App> apps() {
        List<App> all = new ArrayList<>();
        bySource.values().forEach(d -> all.addAll(d.apps()));
        return all;
    }

    private static boolean matches(io.fabric8.kubernetes.api.model.ObjectMeta meta, String namespace, String name) {
        return name.equals(meta.getName()) && namespace.equals(meta.getNamespace());
    }
}
