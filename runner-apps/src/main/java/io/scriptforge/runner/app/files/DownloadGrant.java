package io.scriptforge.runner.app.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What a dbfiles download URL grants: one file of one store, while the session that listed it lives and
 * until {@code expires} (epoch seconds), whichever ends first. The session is named by a one-way reference
 * of its dbfiles key, so a download URL someone passes on never carries the key that lets its holder upload.
 */
public record DownloadGrant(String store, long id, String session, long expires) {
    /** How long a listed URL works at most: the client lists the folder again for fresh ones. */
    public static final Duration LIFETIME = Duration.ofHours(1);

    /** A grant for {@code id}, listed now by the session holding {@code dbfilesKey}. */
    public static DownloadGrant listed(String store, long id, String dbfilesKey, Instant now) {
        return new DownloadGrant(
                store, id, sessionRef(dbfilesKey), now.plus(LIFETIME).getEpochSecond());
    }

    /** The reference of a session's dbfiles key that download URLs carry (and sf_sessions records). */
    public static String sessionRef(String dbfilesKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("dbfiles-download:" + dbfilesKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean expiredAt(Instant now) {
        return now.getEpochSecond() > expires;
    }

    /** The query of a URL carrying this grant and its {@code token}. */
    public String query(String token) {
        return "dbfiles=" + store + "&id=" + id + "&session=" + session + "&expires=" + expires + "&token=" + token;
    }

    /** What the token signs: every field, in an order no two grants share. */
    String signed() {
        return store.length() + ":" + store + ":" + id + ":" + session + ":" + expires;
    }
}
