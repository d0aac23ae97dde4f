package io.scriptforge.runner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.ScheduleSpec;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.invoke.InvokerOptions;
import io.scriptforge.runner.invoke.ScriptServices;
import io.scriptforge.runner.kv.KvStore;
import io.scriptforge.runner.kv.ScriptKv;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.tasks.RunnerTasks;
import io.scriptforge.runner.tasks.TaskClock;
import io.scriptforge.runner.tasks.TaskTable;
import io.scriptforge.sandbox.JsEngine;
import io.scriptforge.sandbox.SandboxHost;
import io.scriptforge.sandbox.ScriptCompiler;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schedules on a real PostgreSQL with an accelerated clock (a cron minute passes in a second or two):
 * each tick once across replicas, the missed-tick rules, changes and removals of schedules.
 */
class ScriptSchedulesTest {
    /** The script counts its ticks in kv, by the tick's due time, and keeps how late each started. */
    private static final String COUNTING = """
            function main(data, ctx) {
              kv.incr('tick:' + ctx.trigger.scheduledAt);
              kv.set('late:' + ctx.trigger.scheduledAt, ctx.trigger.lateMillis);
            }""";

    private static JsEngine engine;
    private static Invoker invoker;
    private static KvStore kv;
    private final RunnerDatabase db = TestDatabase.shared();
    private final String namespace = "sched-" + UUID.randomUUID().toString().substring(0, 8);
    private final TaskTable table = new TaskTable("scriptforge.sf_tasks_test_" + namespace.substring(6));
    private final List<Replica> replicas = new ArrayList<>();
    private ScriptRegistry registry;

    @BeforeAll
    static void engine() {
        engine = new JsEngine();
        kv = new KvStore(TestDatabase.shared());
        invoker = new Invoker(
                engine,
                new InvokerOptions(
                        2, 64, 8, 8, InvokerOptions.DEFAULT_MEMORY_BUDGET, InvokerOptions.DEFAULT_WORKER_MEMORY_BUDGET),
                new ObjectMapper(),
                ScriptServices.logsAndModules(new ScriptLogs(10), name -> SandboxHost.ModuleLookup.MISSING)
                        .withKv(new ScriptKv(kv, new ObjectMapper())));
    }

    @AfterAll
    static void close() {
        invoker.close();
        engine.close();
    }

    @AfterEach
    void stopReplicas() throws Exception {
        for (Replica replica : replicas) {
            replica.close();
        }
    }

    @Test
    void everyTickRunsExactlyOnceAcrossThreeReplicas() throws Exception {
        registry = registry(schedule("* * * * *", null));
        TaskClock clock = new TaskClock(System.currentTimeMillis(), 30);
        for (int i = 1; i <= 3; i++) {
            replica("replica-" + i, clock);
        }
        awaitTicks(5);
        Map<String, Long> ticks = counts("tick:");
        assertThat(ticks.values())
                .as("runs of each tick, across three replicas: %s", ticks)
                .containsOnly(1L);
        assertThat(ticks.keySet()).allSatisfy(due -> assertThat(due).endsWith(":00Z"));
    }

    @Test
    void aTickMissedWhileNoReplicaWasUpRunsOnceOnRecovery() throws Exception {
        registry = registry(schedule("* * * * *", null));
        TaskClock clock = new TaskClock(System.currentTimeMillis(), 60);
        Replica first = replica("replica-1", clock);
        awaitTicks(1);
        first.close();
        int before = counts("tick:").size();
        Thread.sleep(5_000); // five minutes pass with no replica up
        replica("replica-2", clock);
        awaitTicks(before + 3);
        assertThat(counts("tick:").values()).containsOnly(1L);
        List<Long> lateness = new ArrayList<>(lateness().values());
        // One catch-up run for all the missed minutes (late by four or more), then the ticks are on time again.
        assertThat(lateness.stream().filter(late -> late >= 180_000).count())
                .as("late runs in %s", lateness)
                .isEqualTo(1);
        assertThat(lateness.get(lateness.size() - 1))
                .as("late runs in %s", lateness)
                .isLessThan(180_000);
    }

    @Test
    void underSkipAMissedTickIsRecordedAsSkippedAndNotRun() throws Exception {
        registry = registry(schedule("* * * * *", ScheduleSpec.Missed.skip));
        TaskClock clock = new TaskClock(System.currentTimeMillis(), 30);
        Replica first = replica("replica-1", clock);
        awaitTicks(1);
        first.close();
        Thread.sleep(6_000); // three minutes with no replica up
        ScriptSchedules second = replica("replica-2", clock).schedules();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Object> row;
        do {
            Thread.sleep(50);
            row = second.view().get(0);
        } while (!"skipped".equals(row.get("lastOutcome")) && System.nanoTime() < deadline);
        assertThat(row.get("lastOutcome")).isEqualTo("skipped");
        assertThat((String) row.get("lastMessage")).startsWith("missed by ").endsWith("missed: skip");
        String skipped = row.get("lastRun").toString();
        awaitTicks(counts("tick:").size() + 1);
        assertThat(counts("tick:")).as("the skipped tick did not run").doesNotContainKey(skipped);
    }

    @Test
    void aChangedScheduleIsRewrittenAndARemovedOneDeleted() throws Exception {
        registry = registry(schedule("0 3 * * *", null));
        ScriptSchedules schedules = replica("replica-1", TaskClock.SYSTEM).schedules();
        assertThat(awaitRow(schedules, "T03:00:00Z").get("expression")).isEqualTo("0 3 * * *");
        registry.replaceSource("test", List.of(new ScriptRegistry.Declared(1, script(schedule("30 4 * * *", null)))));
        assertThat(awaitRow(schedules, "T04:30:00Z").get("expression")).isEqualTo("30 4 * * *");
        registry.replaceSource("test", List.of(new ScriptRegistry.Declared(1, script(null))));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(rows()).as("rows left in the task table").isZero();
    }

    /** One runner's share: its scheduler and its schedules, on this test's task table. */
    private record Replica(ScriptSchedules schedules, RunnerTasks tasks) implements AutoCloseable {
        @Override
        public void close() {
            schedules.close();
            tasks.close();
        }
    }

    private Replica replica(String name, TaskClock clock) {
        ScriptSchedules schedules = new ScriptSchedules(registry, invoker, db, name);
        RunnerTasks tasks = new RunnerTasks(
                db,
                table,
                new RunnerTasks.Settings(
                        Duration.ofMillis(100), Duration.ofSeconds(1), 4, 2, clock, Duration.ofSeconds(5)),
                List.of(schedules.task()));
        schedules.start(tasks);
        Replica replica = new Replica(schedules, tasks);
        replicas.add(replica);
        return replica;
    }

    /** The registry of one Script, warmed up by one run (so the accelerated ticks do not wait for the JIT). */
    private ScriptRegistry registry(ScheduleSpec schedule) throws Exception {
        ScriptCompiler compiler = new ScriptCompiler(
                engine, new ObjectMapper(), "test-host", Duration.ofSeconds(30), Duration.ofMinutes(1));
        ScriptRegistry scripts = new ScriptRegistry(compiler);
        scripts.onCompiled(invoker);
        scripts.replaceSource("test", List.of(new ScriptRegistry.Declared(1, script(schedule))));
        java.util.concurrent.CompletableFuture<Object> done = new java.util.concurrent.CompletableFuture<>();
        invoker.start(
                scripts.byName(namespace + "/ticker").orElseThrow().compiled(),
                "warm-up-" + namespace,
                "{}",
                "{\"scheduledAt\":\"warm-up\",\"lateMillis\":0}",
                done::complete);
        done.get(30, java.util.concurrent.TimeUnit.SECONDS);
        kv.delete(namespace, "tick:warm-up");
        kv.delete(namespace, "late:warm-up");
        return scripts;
    }

    private Script script(ScheduleSpec schedule) {
        Script script = new Script();
        script.setMetadata(new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName("ticker")
                .build());
        ScriptSpec spec = new ScriptSpec();
        spec.setType(ScriptType.SCRIPT);
        spec.setCode(COUNTING);
        spec.setSchedule(schedule);
        script.setSpec(spec);
        return script;
    }

    private static ScheduleSpec schedule(String cron, ScheduleSpec.Missed missed) {
        ScheduleSpec spec = new ScheduleSpec();
        spec.setCron(cron);
        spec.setMissed(missed);
        return spec;
    }

    private void awaitTicks(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (counts("tick:").size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(counts("tick:")).hasSizeGreaterThanOrEqualTo(count);
    }

    /** The Script's row once its next run (from the task table) ends with {@code nextRunSuffix}. */
    private Map<String, Object> awaitRow(ScriptSchedules schedules, String nextRunSuffix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> row = schedules.view().get(0);
            if (row.get("nextRun") != null && row.get("nextRun").toString().endsWith(nextRunSuffix)) {
                return row;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no next run at " + nextRunSuffix + ": " + schedules.view());
    }

    /** The kv counters of this test's namespace whose keys start with {@code prefix}, by the rest of the key. */
    private Map<String, Long> counts(String prefix) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String key : kv.keys(namespace, prefix, 1000)) {
            counts.put(
                    key.substring(prefix.length()),
                    Long.parseLong(kv.get(namespace, key).orElseThrow()));
        }
        return counts;
    }

    private Map<String, Long> lateness() throws Exception {
        return counts("late:");
    }

    private int rows() throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + table.name());
                    ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
