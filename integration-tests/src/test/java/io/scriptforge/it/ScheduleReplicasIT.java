package io.scriptforge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.it.cluster.ManagedProcess;
import io.scriptforge.it.cluster.ScriptForgeProcesses;
import io.scriptforge.it.cluster.SharedPostgres;
import io.scriptforge.it.cluster.TestCluster;
import io.scriptforge.it.cluster.WithCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Three runner processes on one PostgreSQL serve a scheduled Script: every tick runs exactly once, on
 * whichever replica picked it. The runners' scheduler clock runs 30 times faster (a cron minute every
 * two seconds), from one origin all three share.
 */
@WithCluster
class ScheduleReplicasIT {
    private static final int REPLICAS = 3;
    private static final int TICKS = 6;

    @Test
    void eachTickRunsOnceAcrossThreeRunnerProcesses(TestCluster cluster) throws Exception {
        Path dir = Files.createTempDirectory("schedule-replicas");
        Files.copy(
                Path.of(ScheduleReplicasIT.class
                        .getResource("/ScheduleReplicasIT/ticker.yaml")
                        .toURI()),
                dir.resolve("ticker.yaml"));
        Map<String, String> acceleratedClock = Map.of(
                "scriptforge.tasks.clock-speed", "30",
                "scriptforge.tasks.clock-origin", String.valueOf(System.currentTimeMillis()),
                "scriptforge.tasks.polling-interval", "100ms");
        clearCounters();
        List<ManagedProcess> runners = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 1; i <= REPLICAS; i++) {
                int port = ScriptForgeProcesses.freePort();
                ports.add(port);
                runners.add(ScriptForgeProcesses.localRunner(cluster, "ticker-" + i, dir, port, acceleratedClock));
            }
            for (int i = 0; i < REPLICAS; i++) {
                ScriptForgeProcesses.awaitReady(runners.get(i), ports.get(i), Duration.ofSeconds(120));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (counters("tick:").size() < TICKS && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
        } finally {
            runners.forEach(ManagedProcess::close);
        }
        Map<String, Long> ticks = counters("tick:");
        assertThat(ticks).as("ticks by due time").hasSizeGreaterThanOrEqualTo(TICKS);
        assertThat(ticks.values()).as("runs of each tick: %s", ticks).containsOnly(1L);
    }

    private static void clearCounters() throws Exception {
        try (Connection c = DriverManager.getConnection(SharedPostgres.jdbcUrl());
                PreparedStatement st = c.prepareStatement(
                        "DELETE FROM scriptforge.sf_kv WHERE namespace = 'default' AND key LIKE 'tick:%'")) {
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())
                    && !"3F000".equals(e.getSQLState())) { // no kv table yet: nothing to clear
                throw e;
            }
        }
    }

    /** The kv counters of namespace default whose keys start with {@code prefix}, read straight from the database. */
    private static Map<String, Long> counters(String prefix) throws Exception {
        Map<String, Long> counters = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(SharedPostgres.jdbcUrl());
                PreparedStatement st = c.prepareStatement(
                        "SELECT key, value::text FROM scriptforge.sf_kv WHERE namespace = 'default' AND starts_with(key, ?)")) {
            st.setString(1, prefix);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counters.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                }
            }
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return counters; // the kv table is made by the first tick
            }
            throw e;
        }
        return counters;
    }
}
