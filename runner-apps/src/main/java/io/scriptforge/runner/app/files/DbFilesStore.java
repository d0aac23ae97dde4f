package io.scriptforge.runner.app.files;

import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An app's named file stores (manifest {@code dbfiles.init} {@code start} entries): each file's
 * metadata is a row of {@code sf_dbfiles}, its content rows of {@code sf_dbfiles_chunks}, so files
 * live in the app's database and every replica serves them. Content moves chunk by chunk both ways:
 * no file is ever held in memory whole.
 */
public final class DbFilesStore {
    /** Content rows hold this much each (the last one less). */
    public static final int CHUNK_BYTES = 256 * 1024;
    /** The most files one DbFilesListResult carries. */
    public static final int MAX_PAGE = 50;

    private final RunnerDatabase db;

    public DbFilesStore(RunnerDatabase db) {
        this.db = db;
    }

    /**
     * Stores {@code body} as a new file of {@code store} under {@code folder}, in one transaction.
     *
     * @return the new file's id
     * @throws IllegalArgumentException when the folder or name is not valid (nothing is read)
     * @throws FileTooLargeException    when the body is longer than {@code maxBytes} (nothing is stored)
     * @throws IOException              when reading the body fails (nothing is stored)
     */
    public long store(AppSchema schema, FileStore store, String folder, String name, InputStream body, long maxBytes)
            throws SQLException, IOException {
        String folderKey = FolderReference.canonical(store, folder);
        String fileName = FileName.validated(name);
        try {
            return db.inApp(schema, tx -> {
                long now = System.currentTimeMillis();
                long id = insertFile(tx, store.name(), folderKey, fileName, now);
                long size = writeChunks(tx, id, fileName, body, maxBytes);
                Sql.update(tx, "UPDATE sf_dbfiles SET size = ? WHERE id = ?", size, id);
                return id;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes a file of {@code store}, content and all; false when it has no file {@code id}. */
    public boolean delete(AppSchema schema, FileStore store, long id) throws SQLException {
        return db.inApp(
                schema,
                tx -> Sql.update(tx, "DELETE FROM sf_dbfiles WHERE id = ? AND store = ?", id, store.name()) > 0);
    }

    /**
     * The files of {@code store} in {@code folder} with an id above {@code afterId}, sorted by id:
     * {@code limit} of them, or {@value #MAX_PAGE} when {@code limit} is not in 1..{@value #MAX_PAGE}.
     *
     * @throws IllegalArgumentException when the folder is not valid for the store
     */
    public ListPage list(AppSchema schema, FileStore store, String folder, long afterId, int limit)
            throws SQLException {
        String folderKey = FolderReference.canonical(store, folder);
        int pageSize = limit <= 0 || limit > MAX_PAGE ? MAX_PAGE : limit;
        return db.inApp(schema, tx -> {
            List<FileInfo> files = new ArrayList<>();
            boolean more = false;
            // One row beyond the page tells whether another page follows.
            try (PreparedStatement st =
                    tx.prepareStatement("SELECT id, name, size, created, modified, folder FROM sf_dbfiles"
                            + " WHERE store = ? AND folder = ? AND id > ? ORDER BY id LIMIT ?")) {
                st.setString(1, store.name());
                st.setString(2, folderKey);
                st.setLong(3, afterId);
                st.setInt(4, pageSize + 1);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (files.size() == pageSize) {
                            more = true;
                            break;
                        }
                        files.add(fileInfo(rs));
                    }
                }
            }
            return new ListPage(files, more ? files.getLast().id() : null);
        });
    }

    /** The file {@code id} of {@code store}, if there is one. */
    public Optional<FileInfo> info(AppSchema schema, FileStore store, long id) throws SQLException {
        return db.inApp(
                schema,
                tx -> Sql.first(
                        tx,
                        "SELECT id, name, size, created, modified, folder FROM sf_dbfiles WHERE id = ? AND store = ?",
                        DbFilesStore::fileInfo,
                        id,
                        store.name()));
    }

    /**
     * Hands the content of file {@code id} of {@code store} to {@code sink}, chunk by chunk in order.
     * One chunk is read from the database at a time, so a slow receiver holds one chunk in memory
     * (and one connection) rather than the file.
     *
     * @return false when {@code store} has no file {@code id} (the sink is not called)
     * @throws IOException what the sink threw
     */
    public boolean download(AppSchema schema, FileStore store, long id, ChunkSink sink)
            throws SQLException, IOException {
        try {
            return db.inApp(schema, tx -> {
                if (!Sql.exists(tx, "SELECT 1 FROM sf_dbfiles WHERE id = ? AND store = ?", id, store.name())) {
                    return false;
                }
                // Inside a transaction, the PostgreSQL driver fetches with a cursor: one row per round trip.
                try (PreparedStatement st =
                        tx.prepareStatement("SELECT data FROM sf_dbfiles_chunks WHERE file_id = ? ORDER BY seq")) {
                    st.setFetchSize(1);
                    st.setLong(1, id);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            sink.chunk(rs.getBytes(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The token a download URL carries for {@code grant}: hex HMAC-SHA256 of the grant keyed with the app password.
     *
     * @throws IllegalStateException when the app has no password (then it has no download URLs)
     */
    public static String token(String appPassword, DownloadGrant grant) {
        return DownloadToken.of(appPassword, grant);
    }

    /** Whether {@code token} is the one of {@code grant} (compared in constant time); expiry and session are the caller's to check. */
    public static boolean tokenMatches(String appPassword, DownloadGrant grant, String token) {
        return DownloadToken.matches(appPassword, grant, token);
    }

    private static long insertFile(Connection tx, String store, String folder, String name, long now)
            throws SQLException {
        try (PreparedStatement st =
                tx.prepareStatement("INSERT INTO sf_dbfiles (store, folder, name, size, created, modified)"
                        + " VALUES (?, ?, ?, 0, ?, ?) RETURNING id")) {
            st.setString(1, store);
            st.setString(2, folder);
            st.setString(3, name);
            st.setLong(4, now);
            st.setLong(5, now);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Copies {@code body} into chunk rows of file {@code id}; returns its size. */
    private static long writeChunks(Connection tx, long id, String name, InputStream body, long maxBytes)
            throws SQLException {
        long size = 0;
        try (PreparedStatement st =
                tx.prepareStatement("INSERT INTO sf_dbfiles_chunks (file_id, seq, data) VALUES (?, ?, ?)")) {
            for (int seq = 0; ; seq++) {
                byte[] chunk = body.readNBytes(CHUNK_BYTES);
                if (chunk.length == 0) {
                    return size;
                }
                size += chunk.length;
                if (size > maxBytes) {
                    throw new FileTooLargeException(name, maxBytes);
                }
                st.setLong(1, id);
                st.setInt(2, seq);
                st.setBytes(3, chunk);
                st.executeUpdate();
                if (chunk.length < CHUNK_BYTES) {
                    return size;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    new IOException("reading the upload of '" + name + "' failed: " + e.getMessage(), e));
        }
    }

    private static FileInfo fileInfo(ResultSet rs) throws SQLException {
        return new FileInfo(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getLong("size"),
                rs.getLong("created"),
                rs.getLong("modified"),
                rs.getString("folder"));
    }
}
