package io.scriptforge.runner.sources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.scriptforge.crd.App;
import io.scriptforge.crd.Script;
import io.scriptforge.runner.app.LocalApps;
import io.scriptforge.runner.registry.ScriptRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Local mode: serves every Script of the YAML files under a directory, and follows the directory
 * as it changes (add, edit, delete take effect within a second, no restart). A broken file or
 * script is logged with file, name, line and column, and never stops the others.
 */
public final class DirectoryLoader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DirectoryLoader.class);

    private final Path root;
    private final ManifestReader reader = new ManifestReader();
    private final ScriptRegistry registry;
    private final LocalApps apps;
    private final Set<Path> known = new HashSet<>();
    private DirectoryWatcher watcher;

    /** @param apps where App, Secret and ConfigMap documents go; null to skip them */
    public DirectoryLoader(Path root, ScriptRegistry registry, LocalApps apps) {
        this.root = root.toAbsolutePath().normalize();
        this.registry = registry;
        this.apps = apps;
    }

    /** Loads everything once, then watches. Returns when the first load is complete. */
    public void start() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(
                    "scriptforge.dir " + root + " is not a directory: point it at a folder of Script YAML files");
        }
        watcher = DirectoryWatcher.builder()
                .path(root)
                .fileHashing(false)
                .listener(this::onEvent)
                .build();
        rescan();
        watcher.watchAsync();
        LOG.infof("watching %s for Script and App YAML", root);
    }

    private void onEvent(DirectoryChangeEvent event) {
        try {
            switch (event.eventType()) {
                case OVERFLOW -> rescan();
                case DELETE -> {
                    if (event.isDirectory()) {
                        rescan();
                    } else {
                        forget(event.path());
                    }
                }
                default -> {
                    if (event.isDirectory()) {
                        rescan();
                    } else if (isManifest(event.path())) {
                        load(event.path());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not apply change %s of %s", event.eventType(), event.path());
        }
    }

    private synchronized void rescan() {
        Set<Path> present = new HashSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(DirectoryLoader::isManifest)
                    .sorted()
                    .forEach(present::add);
        } catch (IOException | UncheckedIOException e) {
            LOG.errorf("cannot list %s: %s", root, e.getMessage());
            return;
        }
        for (Path gone : new ArrayList<>(known)) {
            if (!present.contains(gone)) {
                forget(gone);
            }
        }
        present.forEach(this::load);
    }

    private synchronized void load(Path file) {
        if (!Files.isRegularFile(file)) {
            forget(file);
            return;
        }
        List<ScriptRegistry.Declared> declared = new ArrayList<>();
        List<App> appDocs = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        List<ConfigMap> configMaps = new ArrayList<>();
        for (ManifestReader.Document document : reader.read(file)) {
            if (document.problem() != null) {
                LOG.errorf("%s: %s", document.describe(), document.problem());
                continue;
            }
            switch (document.resource()) {
                case Script script -> declared.add(new ScriptRegistry.Declared(document.line(), script));
                case App app -> appDocs.add(app);
                case Secret secret -> secrets.add(secret);
                case ConfigMap configMap -> configMaps.add(configMap);
                default -> {}
            }
        }
        known.add(file);
        String source = root.relativize(file).toString();
        registry.replaceSource(source, declared);
        if (apps != null) {
            apps.replaceSource(source, appDocs, secrets, configMaps);
        }
    }

    private synchronized void forget(Path file) {
        if (known.remove(file)) {
            registry.replaceSource(root.relativize(file).toString(), List.of());
            if (apps != null) {
                apps.replaceSource(root.relativize(file).toString(), List.of(), List.of(), List.of());
            }
            LOG.infof("%s removed: its Scripts are no longer served", root.relativize(file));
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
