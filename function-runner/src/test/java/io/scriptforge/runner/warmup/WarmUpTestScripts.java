package io.scriptforge.runner.warmup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scriptforge.crd.ScriptIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory {@link WarmUpComponentTest}'s runner serves, written before it starts, so these Scripts are in its
 * first load (the one the warm-up follows): some use every host effect, one keeps state (a worker), one is
 * an app, one an ES module.
 */
public class WarmUpTestScripts implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target/warm-up-test-scripts");
    static final String NAMESPACE = "warm-up-tests";

    static final String EFFECTS = """
            function main(data, ctx) {
              console.log('effects ran for a', ctx.trigger ? ctx.trigger.type : 'request');
              kv.incr('effects-runs');
              return jobs.enqueue('job-target', { from: 'effects' });
            }""";
    static final String ENQUEUER = """
            function main() {
              return jobs.enqueue('job-target', { from: 'enqueuer' });
            }""";
    static final String LOGGER = """
            function main(data) {
              console.log('hello from', data.who);
              return 'logged';
            }""";
    static final String KV_KEYS = "function main() { return kv.keys(''); }";
    static final String JOB_TARGET = "function main() { return 'job ran'; }";
    static final String COUNTER = "let runs = 0;\nasync function main() { runs++; return { runs }; }";
    static final String SERVICE = "async function main() { return 'app'; }";
    static final String ESM = "export function main(data) { return 'esm for ' + data.who; }";

    static String uuid(String name) {
        return ScriptIdentity.nameBasedUuid(NAMESPACE, name).toString();
    }

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> old = Files.walk(DIR)) {
                    old.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(DIR);
            write("effects", "script", EFFECTS);
            write("enqueuer", "script", ENQUEUER);
            write("logger", "script", LOGGER);
            write("kv-keys", "script", KV_KEYS);
            write("job-target", "script", JOB_TARGET);
            write("counter", "worker", COUNTER);
            write("service", "app", SERVICE);
            write("esm", "script", ESM);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("%test.scriptforge.dir", DIR.toString(), "scriptforge.dir", DIR.toString());
    }

    private static void write(String name, String type, String code) throws IOException {
        String yaml = "apiVersion: scriptforge.io/v1alpha1\nkind: Script\n"
                + "metadata: {name: " + name + ", namespace: " + NAMESPACE + "}\n"
                + "spec:\n  type: " + type + "\n  vars: {who: the vars}\n  code: |\n"
                + code.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
        Files.writeString(DIR.resolve(name + ".yaml"), yaml);
    }

    @Override
    public void stop() {}
}
