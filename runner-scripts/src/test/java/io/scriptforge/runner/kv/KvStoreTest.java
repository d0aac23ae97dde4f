package io.scriptforge.runner.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The store on the embedded PostgreSQL: TTL, atomic incr under concurrency (and across replicas), namespaces, validation. */
class KvStoreTest {
    private final RunnerDatabase db = TestDatabase.shared();
    private final KvStore kv = new KvStore(db);
    private final String ns = "kv-" + UUID.randomUUID();

    @Test
    void setGetDeleteAnyJson() throws SQLException {
        assertThat(kv.get(ns, "missing")).isEmpty();
        kv.set(ns, "obj", "{\"a\": [1, 2.5, \"x\", null, true]}", null);
        assertThat(kv.get(ns, "obj")).hasValue("{\"a\": [1, 2.5, \"x\", null, true]}");
        kv.set(ns, "null", "null", null);
        assertThat(kv.get(ns, "null")).hasValue("null");
        kv.set(ns, "obj", "\"replaced\"", null);
        assertThat(kv.get(ns, "obj")).hasValue("\"replaced\"");
        assertThat(kv.delete(ns, "obj")).isTrue();
        assertThat(kv.delete(ns, "obj")).isFalse();
        assertThat(kv.get(ns, "obj")).isEmpty();
    }

    @Test
    void anExpiredKeyIsGoneToEveryCall() throws Exception {
        kv.set(ns, "short", "1", Duration.ofMillis(300));
        kv.set(ns, "long", "2", Duration.ofHours(1));
        assertThat(kv.get(ns, "short")).hasValue("1");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (kv.get(ns, "short").isPresent() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(kv.get(ns, "short")).isEmpty();
        assertThat(kv.get(ns, "long")).hasValue("2");
        assertThat(rowCount("short")).as("get deletes the expired row it finds").isZero();

        kv.set(ns, "past", "\"x\"", null);
        expire("past");
        assertThat(kv.keys(ns, "", 100)).containsExactly("long");
        assertThat(kv.delete(ns, "past")).as("an expired key was not set").isFalse();

        kv.set(ns, "purged", "3", null);
        expire("purged");
        assertThat(kv.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(rowCount("purged")).isZero();

        kv.set(ns, "long", "4", null);
        assertThat(expiresAt("long")).as("set without a ttl clears the expiry").isNull();
    }

    @Test
    void incrCountsFromZeroAndKeepsALiveExpiry() throws SQLException {
        assertThat(kv.incr(ns, "n", 1)).isEqualTo(1);
        assertThat(kv.incr(ns, "n", 41)).isEqualTo(42);
        assertThat(kv.incr(ns, "n", -50)).isEqualTo(-8);
        assertThat(kv.get(ns, "n")).hasValue("-8");

        kv.set(ns, "t", "10", Duration.ofHours(1));
        assertThat(kv.incr(ns, "t", 5)).isEqualTo(15);
        assertThat(expiresAt("t")).isNotNull();
        expire("t");
        assertThat(kv.incr(ns, "t", 5)).as("an expired key counts from 0").isEqualTo(5);
        assertThat(expiresAt("t")).isNull();

        kv.set(ns, "whole", "7.0", null);
        assertThat(kv.incr(ns, "whole", 1)).isEqualTo(8);
    }

    @Test
    void incrOfANonIntegerNamesTheKeyAndChangesNothing() throws SQLException {
        kv.set(ns, "text", "\"abc\"", null);
        kv.set(ns, "frac", "1.5", null);
        kv.set(ns, "big", String.valueOf(Long.MAX_VALUE), null);
        assertThatThrownBy(() -> kv.incr(ns, "text", 1))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("'text'")
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> kv.incr(ns, "frac", 1))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("'frac'");
        assertThatThrownBy(() -> kv.incr(ns, "big", 1))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("'big'")
                .hasMessageContaining("range");
        assertThat(kv.get(ns, "text")).hasValue("\"abc\"");
        assertThat(kv.get(ns, "frac")).hasValue("1.5");
        assertThat(kv.get(ns, "big")).hasValue(String.valueOf(Long.MAX_VALUE));
    }

    @Test
    void incrUnderConcurrencyLosesNothing() throws Exception {
        int threads = 8;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> seen = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seen.add(kv.incr(ns, "counter", 1));
                    }
                    return seen;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            assertThat(kv.get(ns, "counter")).hasValue(String.valueOf(threads * each));
            assertThat(all)
                    .as("every incr saw a value of its own")
                    .doesNotHaveDuplicates()
                    .hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoReplicasShareOneCounter() throws Exception {
        RunnerDatabase other = TestDatabase.replica(2);
        KvStore replica = new KvStore(other);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (KvStore store : List.of(kv, replica, kv, replica)) {
                tasks.add(() -> {
                    for (int i = 0; i < 100; i++) {
                        store.incr(ns, "shared", 2);
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            assertThat(replica.get(ns, "shared")).hasValue("800");
            kv.set(ns, "seen", "{\"by\": \"one\"}", null);
            assertThat(replica.get(ns, "seen")).hasValue("{\"by\": \"one\"}");
        } finally {
            pool.shutdownNow();
            other.close();
        }
    }

    @Test
    void keysByPrefixInOrderAndBounded() throws SQLException {
        for (String k : List.of("user:2", "user:10", "user:1", "session:a", "user")) {
            kv.set(ns, k, "true", null);
        }
        assertThat(kv.keys(ns, "user:", 100)).containsExactly("user:1", "user:10", "user:2");
        assertThat(kv.keys(ns, "", 100)).containsExactly("session:a", "user", "user:1", "user:10", "user:2");
        assertThat(kv.keys(ns, "user%", 100)).as("no LIKE patterns").isEmpty();
        assertThat(kv.keys(ns, "", 2)).containsExactly("session:a", "user");
        assertThat(kv.keys(ns, "nothing", 100)).isEmpty();
    }

    @Test
    void namespacesAreKeptApart() throws SQLException {
        String other = ns + "-other";
        kv.set(ns, "k", "1", null);
        assertThat(kv.get(other, "k")).isEmpty();
        assertThat(kv.incr(other, "k", 5)).isEqualTo(5);
        assertThat(kv.get(ns, "k")).hasValue("1");
        assertThat(kv.keys(other, "", 10)).containsExactly("k");
        assertThat(kv.delete(other, "k")).isTrue();
        assertThat(kv.get(ns, "k")).hasValue("1");
    }

    @Test
    void keysAndValuesAreValidated() {
        assertThatThrownBy(() -> kv.get(ns, "")).isInstanceOf(KvException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> kv.set(ns, "x".repeat(513), "1", null))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("513 characters");
        assertThatThrownBy(() -> kv.get(ns, "a\0b"))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("NUL");
        String big = "\"" + "x".repeat(KvStore.MAX_VALUE_BYTES) + "\"";
        assertThatThrownBy(() -> kv.set(ns, "big", big, null))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("'big'")
                .hasMessageContaining("bytes");
        assertThatThrownBy(() -> kv.set(ns, "bad", "{not json", null))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("'bad'");
        assertThatThrownBy(() -> kv.set(ns, "ttl", "1", Duration.ZERO))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> kv.keys("", "", 1)).isInstanceOf(KvException.class);
    }

    @Test
    void aValueAtTheLimitIsStored() throws SQLException {
        String atLimit = "\"" + "x".repeat(KvStore.MAX_VALUE_BYTES - 2) + "\"";
        kv.set(ns, "max", atLimit, null);
        assertThat(kv.get(ns, "max")).hasValueSatisfying(v -> assertThat(v).hasSize(KvStore.MAX_VALUE_BYTES));
        String longestKey = "k".repeat(KvStore.MAX_KEY_CHARS);
        kv.set(ns, longestKey, "1", null);
        assertThat(kv.get(ns, longestKey)).hasValue("1");
    }

    @Test
    void noOtherRoleCanReadTheStore() throws SQLException {
        kv.set(ns, "secret", "\"runner only\"", null);
        String role = "kv_probe_" + Long.toHexString(System.nanoTime());
        assertThatThrownBy(() -> db.inTransaction(c -> {
                    c.createStatement().execute("CREATE ROLE " + role + " NOLOGIN");
                    c.createStatement().execute("SET LOCAL ROLE " + role);
                    c.createStatement().executeQuery("SELECT value FROM " + KvStore.TABLE);
                    return null;
                }))
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("42501")); // rolled back, role and all
    }

    @Test
    void withoutADatabaseEveryCallSaysWhy() {
        KvStore none = new KvStore(new RunnerDatabase(
                new TestDatabase.Settings(
                        Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.empty(), 1, 1),
                false));
        assertThatThrownBy(() -> none.get(ns, "k"))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("kv is not available")
                .hasMessageContaining("scriptforge.database.url");
        assertThatThrownBy(() -> none.incr(ns, "k", 1))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("kv is not available");
    }

    private void expire(String key) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE " + KvStore.TABLE
                    + " SET expires_at = now() - interval '1 second' WHERE namespace = ? AND key = ?")) {
                st.setString(1, ns);
                st.setString(2, key);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
    }

    private Object expiresAt(String key) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT expires_at FROM " + KvStore.TABLE + " WHERE namespace = ? AND key = ?")) {
                st.setString(1, ns);
                st.setString(2, key);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getObject(1);
                }
            }
        });
    }

    private int rowCount(String key) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement st =
                    c.prepareStatement("SELECT count(*) FROM " + KvStore.TABLE + " WHERE namespace = ? AND key = ?")) {
                st.setString(1, ns);
                st.setString(2, key);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
