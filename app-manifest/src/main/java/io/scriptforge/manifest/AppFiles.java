package io.scriptforge.manifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The app's files (its httpfiles.zip, or spec.files), by relative path. The service's own JS and
 * the manifests are kept apart: they run on the server and are never served over HTTP.
 */
public final class AppFiles {
    /** Bounds that keep a hostile zip from filling the heap. */
    static final long MAX_TOTAL_BYTES = 64L << 20;

    static final int MAX_ENTRIES = 10_000;
    private static final Set<String> MANIFESTS = Set.of("config.json", "plugins.json");

    private final Map<String, byte[]> files;
    private final Set<String> hidden;

    AppFiles(Map<String, byte[]> files, Set<String> hidden) {
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
        this.hidden = Set.copyOf(hidden);
    }

    /** Every file, service files included: what the service evaluates. */
    public Optional<byte[]> read(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** A file the app serves over HTTP: never its service JS nor its manifests. */
    public Optional<byte[]> servable(String path) {
        return isHidden(path) ? Optional.empty() : read(path);
    }

    public boolean isHidden(String path) {
        return hidden.contains(path) || MANIFESTS.contains(path);
    }

    public List<String> paths() {
        return List.copyOf(files.keySet());
    }

    /** Normalizes a relative path, or returns null for one that leaves the app (.., absolute, empty). */
    public static String normalize(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return null;
        }
        Path normalized = Path.of(path).normalize();
        String text = normalized.toString();
        return text.isEmpty() || text.startsWith("..") ? null : text;
    }

    /** Reads an httpfiles.zip, refusing paths outside the app and archives beyond the size bounds. */
    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String path = normalize(entry.getName());
                if (path == null) {
                    throw new IOException("httpfiles.zip: entry '" + entry.getName() + "' points outside the app");
                }
                if (files.size() >= MAX_ENTRIES) {
                    throw new IOException("httpfiles.zip has more than " + MAX_ENTRIES + " files");
                }
                byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_TOTAL_BYTES - total + 1));
                total += content.length;
                if (total > MAX_TOTAL_BYTES) {
                    throw new IOException("httpfiles.zip unpacks to more than " + (MAX_TOTAL_BYTES >> 20) + " MiB");
                }
                files.put(path, content);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("httpfiles.zip holds no files (or is not a zip archive)");
        }
        return files;
    }
}
