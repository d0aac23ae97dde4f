package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import io.scriptforge.manifest.ConfigValues;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The platform as a service sees it: the real test database, config in memory, the log in a queue. */
final class FakeBackend implements ServiceBackend {
    private final AppSchema schema;
    private final AppManifest manifest;
    final Map<String, JsonNode> config = new ConcurrentHashMap<>();
    final BlockingQueue<String> logs = new LinkedBlockingQueue<>();
    volatile AppService service;

    FakeBackend(AppSchema schema, AppManifest manifest) {
        this.schema = schema;
        this.manifest = manifest;
        for (ConfigItem item : manifest.configItems()) {
            config.put(
                    item.name(),
                    item.defaultValue() == null
                            ? NullNode.getInstance()
                            : ConfigValues.normalize(item, item.defaultValue()));
        }
    }

    @Override
    public RunnerDatabase database() {
        return TestDatabase.shared();
    }

    @Override
    public AppSchema schema() {
        return schema;
    }

    @Override
    public Map<String, JsonNode> configValues() {
        return new LinkedHashMap<>(config);
    }

    /** Validates like the platform (ConfigValues), writes, then tells the service, as the platform does. */
    @Override
    public void saveConfig(Map<String, JsonNode> values) {
        Map<String, JsonNode> normalized = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            ConfigItem item = manifest.configItem(name)
                    .orElseThrow(() -> new IllegalArgumentException(name + " is not a config item of the app"));
            normalized.put(name, ConfigValues.normalize(item, value));
        });
        config.putAll(normalized);
        service.configChanged(List.copyOf(normalized.keySet()));
    }

    @Override
    public void log(String level, String line) {
        logs.add(level + " " + line);
    }

    /** Waits for the first log line (from now on) that matches; fails when none comes. */
    String awaitLog(Predicate<String> matching) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ServiceFixture.WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = logs.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && matching.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no such log line; left in the log: " + logs);
    }

    String awaitLog(String containing) {
        return awaitLog(line -> line.contains(containing));
    }
}
