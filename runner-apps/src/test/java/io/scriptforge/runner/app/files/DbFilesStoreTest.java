package io.scriptforge.runner.app.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.manifest.AppManifest.FileStore;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DbFilesStoreTest {
    private static final long MIB = 1024 * 1024;
    private static final FileStore PHOTOS = new FileStore("photos", "BIGINT");
    private static final FileStore DOCS = new FileStore("docs", "BIGINT");

    private final RunnerDatabase db = TestDatabase.shared();
    private final DbFilesStore files = new DbFilesStore(db);
    private AppSchema app;

    @BeforeEach
    void freshApp() throws SQLException {
        app = TestAppSchemas.fresh(db, "dbfiles");
    }

    @Test
    void aFileComesBackByteForByteInChunksOf256KiB() throws Exception {
        byte[] content = new byte[(int) (MIB + MIB / 2)];
        new Random(42).nextBytes(content);
        long before = System.currentTimeMillis();

        long id = files.store(app, PHOTOS, "7", "holiday.jpg", new ByteArrayInputStream(content), 2 * MIB);

        FileInfo info = files.info(app, PHOTOS, id).orElseThrow();
        assertThat(info.name()).isEqualTo("holiday.jpg");
        assertThat(info.folder()).isEqualTo("7");
        assertThat(info.size()).isEqualTo(content.length);
        assertThat(info.created()).isEqualTo(info.modified()).isBetween(before, System.currentTimeMillis());

        List<Integer> chunkSizes = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean found = files.download(app, PHOTOS, id, chunk -> {
            chunkSizes.add(chunk.length);
            received.write(chunk);
        });
        assertThat(found).isTrue();
        assertThat(chunkSizes).containsExactly(262144, 262144, 262144, 262144, 262144, 262144);
        assertThat(sha256(received.toByteArray())).isEqualTo(sha256(content));
    }

    @Test
    void anEmptyFileHasNoChunks() throws Exception {
        long id = files.store(app, PHOTOS, "1", "empty.txt", InputStream.nullInputStream(), MIB);

        assertThat(files.info(app, PHOTOS, id).orElseThrow().size()).isZero();
        List<byte[]> chunks = new ArrayList<>();
        assertThat(files.download(app, PHOTOS, id, chunks::add)).isTrue();
        assertThat(chunks).isEmpty();
    }

    @Test
    void aBodyOverTheLimitStoresNothing() throws Exception {
        byte[] content = new byte[300 * 1024];
        long limit = 256 * 1024 + 100;

        assertThatThrownBy(() -> files.store(app, PHOTOS, "1", "big.bin", new ByteArrayInputStream(content), limit))
                .isInstanceOf(FileTooLargeException.class)
                .hasMessage("file 'big.bin' is larger than the limit of 262244 bytes; nothing was stored");

        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles")).isZero();
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles_chunks")).isZero();
    }

    @Test
    void aBodyOfExactlyTheLimitIsStored() throws Exception {
        long id = files.store(app, PHOTOS, "1", "exact.bin", new ByteArrayInputStream(new byte[1000]), 1000);

        assertThat(files.info(app, PHOTOS, id).orElseThrow().size()).isEqualTo(1000);
    }

    @Test
    void anUploadThatBreaksOffStoresNothing() throws Exception {
        InputStream breaksOff =
                new SequenceInputStream(new ByteArrayInputStream(new byte[300 * 1024]), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        assertThatThrownBy(() -> files.store(app, PHOTOS, "1", "cut.bin", breaksOff, MIB))
                .isInstanceOf(IOException.class)
                .hasMessage("reading the upload of 'cut.bin' failed: connection reset");
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles")).isZero();
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles_chunks")).isZero();
    }

    @Test
    void deleteRemovesTheFileAndItsContent() throws Exception {
        long id = files.store(app, PHOTOS, "1", "a.bin", new ByteArrayInputStream(new byte[600 * 1024]), MIB);
        long kept = files.store(app, PHOTOS, "1", "b.bin", new ByteArrayInputStream(new byte[10]), MIB);

        assertThat(files.delete(app, PHOTOS, id)).isTrue();

        assertThat(files.info(app, PHOTOS, id)).isEmpty();
        assertThat(files.download(app, PHOTOS, id, chunk -> {
                    throw new AssertionError("no content expected");
                }))
                .isFalse();
        assertThat(files.delete(app, PHOTOS, id))
                .as("a second delete finds nothing")
                .isFalse();
        assertThat(files.list(app, PHOTOS, "1", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(kept);
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles_chunks")).isEqualTo(1);
    }

    @Test
    void listingPagesThrough120FilesFiftyAtATime() throws Exception {
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            stored.add(files.store(app, PHOTOS, "3", "f" + i, new ByteArrayInputStream(new byte[] {(byte) i}), 10));
        }

        ListPage first = files.list(app, PHOTOS, "3", 0, 0);
        ListPage second = files.list(app, PHOTOS, "3", first.more(), 0);
        ListPage third = files.list(app, PHOTOS, "3", second.more(), 0);

        assertThat(first.files()).hasSize(50);
        assertThat(first.more()).isEqualTo(first.files().getLast().id());
        assertThat(second.files()).hasSize(50);
        assertThat(second.more()).isEqualTo(second.files().getLast().id());
        assertThat(third.files()).hasSize(20);
        assertThat(third.more()).as("no more after the last page").isNull();
        List<Long> listed = new ArrayList<>();
        for (ListPage page : List.of(first, second, third)) {
            page.files().forEach(f -> listed.add(f.id()));
        }
        assertThat(listed).isSorted().containsExactlyElementsOf(stored);
        assertThat(first.files().getFirst())
                .extracting(FileInfo::name, FileInfo::size, FileInfo::folder)
                .containsExactly("f0", 1L, "3");
    }

    @Test
    void aSmallerLimitIsHonouredAndALargerOneCappedAtFifty() throws Exception {
        for (int i = 0; i < 60; i++) {
            files.store(app, PHOTOS, "3", "f" + i, InputStream.nullInputStream(), 10);
        }

        ListPage seven = files.list(app, PHOTOS, "3", 0, 7);
        assertThat(seven.files()).hasSize(7);
        assertThat(seven.more()).isEqualTo(seven.files().getLast().id());
        assertThat(files.list(app, PHOTOS, "3", seven.more(), 7)
                        .files()
                        .getFirst()
                        .name())
                .isEqualTo("f7");
        assertThat(files.list(app, PHOTOS, "3", 0, 80).files()).hasSize(50);
        ListPage exact = files.list(app, PHOTOS, "3", 0, 60);
        assertThat(exact.files()).hasSize(50);
        assertThat(exact.more()).isNotNull();
    }

    @Test
    void aPageThatEndsExactlyAtTheLastFileSaysNoMore() throws Exception {
        for (int i = 0; i < 5; i++) {
            files.store(app, PHOTOS, "3", "f" + i, InputStream.nullInputStream(), 10);
        }

        ListPage page = files.list(app, PHOTOS, "3", 0, 5);

        assertThat(page.files()).hasSize(5);
        assertThat(page.more()).isNull();
    }

    @Test
    void foldersAreKeptApartAndNamedCanonically() throws Exception {
        long inOne = files.store(app, PHOTOS, "1", "one.txt", InputStream.nullInputStream(), 10);
        long inTwo = files.store(app, PHOTOS, "2", "two.txt", InputStream.nullInputStream(), 10);
        long inSeven = files.store(app, PHOTOS, "007", "seven.txt", InputStream.nullInputStream(), 10);

        assertThat(files.list(app, PHOTOS, "1", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(inOne);
        assertThat(files.list(app, PHOTOS, "2", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(inTwo);
        assertThat(files.list(app, PHOTOS, "7", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(inSeven);
        assertThat(files.list(app, PHOTOS, "3", 0, 0).files()).isEmpty();
    }

    @Test
    void storesAreKeptApart() throws Exception {
        long photo = files.store(app, PHOTOS, "1", "p.jpg", new ByteArrayInputStream(new byte[] {1}), 10);
        long doc = files.store(app, DOCS, "1", "d.pdf", new ByteArrayInputStream(new byte[] {2}), 10);

        assertThat(files.list(app, PHOTOS, "1", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(photo);
        assertThat(files.list(app, DOCS, "1", 0, 0).files())
                .extracting(FileInfo::id)
                .containsExactly(doc);
        assertThat(files.info(app, DOCS, photo)).isEmpty();
        assertThat(files.download(app, DOCS, photo, chunk -> {
                    throw new AssertionError("not a docs file");
                }))
                .isFalse();
        assertThat(files.delete(app, DOCS, photo)).isFalse();
        assertThat(files.info(app, PHOTOS, photo)).isPresent();
    }

    @Test
    void folderMustMatchTheStoresFolderType() throws Exception {
        FileStore bySmallint = new FileStore("s", "SMALLINT");
        FileStore byInteger = new FileStore("i", "INTEGER");
        FileStore byUuid = new FileStore("u", "UUID");
        FileStore byShortText = new FileStore("v", "VARCHAR(5)");
        FileStore byText = new FileStore("t", "TEXT");

        assertThatThrownBy(() -> files.list(app, PHOTOS, "abc", 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dbfiles 'photos': folder 'abc' is not valid (expected a whole number (BIGINT))");
        assertThatThrownBy(() -> files.list(app, bySmallint, "40000", 0, 0))
                .hasMessage(
                        "dbfiles 's': folder '40000' is not valid (expected a whole number from -32768 to 32767 (SMALLINT))");
        assertThatThrownBy(() -> files.list(app, byInteger, "3000000000", 0, 0)).hasMessageContaining("(INTEGER)");
        assertThatThrownBy(() -> files.list(app, byUuid, "1-2-3-4-5", 0, 0))
                .hasMessage(
                        "dbfiles 'u': folder '1-2-3-4-5' is not valid (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)");
        assertThatThrownBy(() -> files.list(app, byShortText, "abcdef", 0, 0))
                .hasMessage(
                        "dbfiles 'v': folder 'abcdef' is not valid (expected text of at most 5 characters (VARCHAR(5)))");
        assertThatThrownBy(() -> files.list(app, PHOTOS, null, 0, 0))
                .hasMessage("dbfiles 'photos': the folder is missing (expected a whole number (BIGINT))");
        assertThatThrownBy(() -> files.store(app, byText, "a\0b", "x", InputStream.nullInputStream(), 10))
                .isInstanceOf(IllegalArgumentException.class);

        files.store(app, byUuid, "123E4567-E89B-12D3-A456-426614174000", "x", InputStream.nullInputStream(), 10);
        assertThat(files.list(app, byUuid, "123e4567-e89b-12d3-a456-426614174000", 0, 0)
                        .files())
                .extracting(FileInfo::folder)
                .containsExactly("123e4567-e89b-12d3-a456-426614174000");
        files.store(app, byShortText, "abcde", "x", InputStream.nullInputStream(), 10);
        assertThat(files.list(app, byShortText, "abcde", 0, 0).files()).hasSize(1);
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles")).isEqualTo(2);
    }

    @Test
    void fileNamesMustBeNonEmptyShortAndPlain() throws Exception {
        assertThatThrownBy(() -> storeNamed(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the file name is missing (give name=<file name>)");
        assertThatThrownBy(() -> storeNamed(null)).hasMessage("the file name is missing (give name=<file name>)");
        assertThatThrownBy(() -> storeNamed("a/b.txt"))
                .hasMessage("file name 'a/b.txt' contains '/' (a name, not a path, is expected)");
        assertThatThrownBy(() -> storeNamed("a\0b")).hasMessage("the file name contains a NUL character");
        assertThatThrownBy(() -> storeNamed("n".repeat(256))).hasMessage("the file name is longer than 255 characters");

        long id = storeNamed("n".repeat(255));
        assertThat(files.info(app, PHOTOS, id).orElseThrow().name()).hasSize(255);
        assertThat(TestAppSchemas.rows(db, app, "sf_dbfiles")).isEqualTo(1);
    }

    @Test
    void aDownloadTokenMatchesOnlyItsOwnFileStoreSessionExpiryAndPassword() {
        String session = DownloadGrant.sessionRef("ab".repeat(32));
        DownloadGrant grant = new DownloadGrant("photos", 17, session, 1_800_000_000L);
        String token = DbFilesStore.token("app-password", grant);

        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(session).matches("[0-9a-f]{32}").doesNotContain("abab");
        assertThat(DbFilesStore.token("app-password", grant)).isEqualTo(token);
        assertThat(DbFilesStore.tokenMatches("app-password", grant, token)).isTrue();
        assertThat(DbFilesStore.tokenMatches("app-password", grant, token.toUpperCase()))
                .isTrue();
        assertThat(DbFilesStore.tokenMatches(
                        "app-password", new DownloadGrant("photos", 18, session, grant.expires()), token))
                .isFalse();
        assertThat(DbFilesStore.tokenMatches(
                        "app-password", new DownloadGrant("docs", 17, session, grant.expires()), token))
                .isFalse();
        assertThat(DbFilesStore.tokenMatches(
                        "app-password", new DownloadGrant("photos", 17, session, grant.expires() + 1), token))
                .as("a later expiry")
                .isFalse();
        assertThat(DbFilesStore.tokenMatches(
                        "app-password",
                        new DownloadGrant("photos", 17, DownloadGrant.sessionRef("cd".repeat(32)), grant.expires()),
                        token))
                .as("another session")
                .isFalse();
        assertThat(DbFilesStore.tokenMatches("other-password", grant, token)).isFalse();
        assertThat(DbFilesStore.tokenMatches("app-password", grant, token.substring(2)))
                .isFalse();
        assertThat(DbFilesStore.tokenMatches("app-password", grant, "not hex")).isFalse();
        assertThat(DbFilesStore.tokenMatches("app-password", grant, null)).isFalse();
    }

    @Test
    void aListedGrantLastsAnHourAtMost() {
        Instant listed = Instant.parse("2026-12-02T12:00:00Z");
        DownloadGrant grant = DownloadGrant.listed("photos", 17, "ab".repeat(32), listed);

        assertThat(grant.expiredAt(listed.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(grant.expiredAt(listed.plus(Duration.ofMinutes(60)).plusSeconds(1)))
                .isTrue();
    }

    @Test
    void anAppWithoutPasswordHasNoDownloadTokens() {
        DownloadGrant grant = new DownloadGrant("photos", 17, "0".repeat(32), 0);
        assertThatThrownBy(() -> DbFilesStore.token(null, grant))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "dbfiles 'photos': no download URL without an app password (set the App's password Secret)");
        assertThatThrownBy(() -> DbFilesStore.token("", grant)).isInstanceOf(IllegalStateException.class);
        String someToken = DbFilesStore.token("some-password", grant);
        assertThat(DbFilesStore.tokenMatches(null, grant, someToken)).isFalse();
        assertThat(DbFilesStore.tokenMatches("", grant, someToken)).isFalse();
    }

    private long storeNamed(String name) throws Exception {
        return files.store(app, PHOTOS, "1", name, new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)), 10);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
