package io.scriptforge.runner.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Local mode's control token: made once (256 random bits), kept in a file only its owner may read, and read
 * again at every start, so the developer's scripts and the console keep working across restarts.
 */
public final class LocalToken {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private LocalToken() {}

    /** The token in {@code file}, made there first when there is none. */
    public static String readOrMake(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                Files.writeString(
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)), token + "\n");
                return token;
            } catch (FileAlreadyExistsException e) {
                // another runner made it a moment ago: use theirs
            }
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream()
                .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + " may be read by others (" + PosixFilePermissions.toString(permissions)
                    + "): chmod 600 it, or delete it and a new token is made");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.length() < 16) {
            throw new IOException(file + " holds no token of at least 16 characters: delete it and a new one is made");
        }
        return token;
    }
}
