package io.scriptforge.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Source;

/**
 * The npm modules bundled at build time (runner-scripts/npm, into {@code scriptforge/npm/} on the
 * class path) and the Node core shims they share. Each bundle is read and turned into a cached
 * {@link Source} once per runner, on first use: the engine then parses it once for every context. The index
 * too is read at first use, so a runner's Apps, which use no bundle, never need one.
 */
public final class NpmBundles {
    /** The bundle of Node core module shims, required only by other bundles. */
    public static final String NODE_SHIMS = "node-shims";

    private static final String DIR = "scriptforge/npm/";

    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private volatile Map<String, String> files; // read at first use: an engine of Apps alone never needs it

    /** True when the build bundled {@code id} (a bundle id, as AllowedModules.bundleOf names it). */
    public boolean has(String id) {
        return files().containsKey(id);
    }

    /** The bundle's source, a function expression {@code (exports, require, module, __filename, __dirname)}. */
    public Source source(String id) {
        String file = files().get(id);
        if (file == null) {
            throw new IllegalArgumentException("no npm bundle '" + id + "'");
        }
        return sources.computeIfAbsent(id, k -> {
            try (InputStream in = resource(file)) {
                return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "npm/" + file)
                        .cached(true)
                        .buildLiteral();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read npm bundle " + file, e);
            }
        });
    }

    private Map<String, String> files() {
        Map<String, String> read = files;
        if (read == null) {
            try (InputStream in = resource("index.json")) {
                @SuppressWarnings("unchecked")
                Map<String, String> index = new ObjectMapper().readValue(in, Map.class);
                index.put(NODE_SHIMS, NODE_SHIMS + ".js");
                read = Map.copyOf(index);
                files = read;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DIR + "index.json", e);
            }
        }
        return read;
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = NpmBundles.class.getClassLoader().getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IOException(
                    DIR + file + " is missing from the class path: the build bundles it (runner-scripts/npm/build.sh)");
        }
        return in;
    }
}
