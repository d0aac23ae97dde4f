package io.scriptforge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.graalvm.polyglot.io.FileSystem;

/**
 * What {@code import './other'} sees: a read-only, one-directory file system whose files are the
 * Scripts of one namespace ({@code /other}, {@code /other.js}, {@code /other.mjs}). Nothing else of
 * the host exists, and no other namespace can be named.
 */
final class ScriptModuleFileSystem implements FileSystem {
    private static final Path ROOT = Path.of("/");
    private static final FileTime EPOCH = FileTime.fromMillis(0);
    /** CommonJS Scripts imported from an ES module: their module.exports is the default export. */
    private static final String COMMONJS_PREFIX = "const module = { exports: {} }; const exports = module.exports; ";

    private static final String COMMONJS_SUFFIX = "\nexport default module.exports;\n";

    private final Function<String, CompiledScript> scripts;
    private final Function<String, String> libraries;

    /**
     * @param scripts finds a Script of this namespace by name, or null
     * @param libraries the source of a module standing for a bundled npm module of that name, or null
     */
    ScriptModuleFileSystem(Function<String, CompiledScript> scripts, Function<String, String> libraries) {
        this.scripts = scripts;
        this.libraries = libraries;
    }

    private byte[] content(Path path) throws NoSuchFileException {
        Path name = path.getFileName();
        Path absolute = toAbsolutePath(path).normalize();
        // A library's subpath ('csv-parse/sync') is the one nested name allowed: Scripts' names have no '/'.
        String nested = absolute.getNameCount() > 1
                ? libraries.apply(ROOT.relativize(absolute).toString().replaceFirst("\\.m?js$", ""))
                : null;
        if (nested != null) {
            return nested.getBytes(StandardCharsets.UTF_8);
        }
        if (name == null
                || absolute.getParent() == null
                || !absolute.getParent().equals(ROOT)) {
            throw new NoSuchFileException(
                    path.toString(), null, "modules are other Scripts of the namespace: import './<name>'");
        }
        String file = name.toString().replaceFirst("\\.m?js$", "");
        CompiledScript script = scripts.apply(file);
        String library = script == null ? libraries.apply(file) : null;
        if (library != null) {
            return library.getBytes(StandardCharsets.UTF_8);
        }
        if (script == null) {
            throw new NoSuchFileException(path.toString(), null, "no Script named '" + file + "' in this namespace");
        }
        String code = script.esModule() ? script.code() : COMMONJS_PREFIX + script.code() + COMMONJS_SUFFIX;
        return code.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Path parsePath(URI uri) {
        return Path.of(uri.getPath());
    }

    @Override
    public Path parsePath(String path) {
        return Path.of(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new AccessDeniedException(path.toString(), null, "modules are read-only");
        }
        if (!toAbsolutePath(path).normalize().equals(ROOT)) {
            content(path);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules are read-only");
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new AccessDeniedException(path.toString(), null, "modules are read-only");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ) {
                throw new AccessDeniedException(path.toString(), null, "modules are read-only");
            }
        }
        return new ReadOnlyChannel(content(path));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules cannot be listed");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : ROOT.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) {
        return toAbsolutePath(path).normalize();
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        boolean root = toAbsolutePath(path).normalize().equals(ROOT);
        long size = root ? 0 : content(path).length;
        Map<String, Object> result = new HashMap<>();
        result.put("isRegularFile", !root);
        result.put("isDirectory", root);
        result.put("isSymbolicLink", false);
        result.put("isOther", false);
        result.put("size", size);
        result.put("lastModifiedTime", EPOCH);
        result.put("lastAccessTime", EPOCH);
        result.put("creationTime", EPOCH);
        return result;
    }

    /** A read-only view of a byte array. */
    private static final class ReadOnlyChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private int position;
        private boolean open = true;

        ReadOnlyChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = (int) Math.min(newPosition, bytes.length);
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
