package io.scriptforge.runner.schedule;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import io.scriptforge.crd.ScheduleSpec;
import io.scriptforge.crd.ScheduleStatus;
import io.scriptforge.runner.invoke.InvocationResult;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.tasks.RunnerTasks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs the Scripts that declare {@code spec.schedule}: one db-scheduler row per Script, due at its next
 * tick. db-scheduler gives a due row to exactly one replica, which runs the Script once and writes the
 * row's next tick, so a tick runs once per pool however many replicas there are.
 * <p>
 * A tick missed while no replica was up is still due when one comes back: under {@code missed: runOnce}
 * (the default) it runs once then, however many ticks were missed; under {@code skip} a tick that starts
 * more than {@link #MISSED_AFTER} late is recorded as skipped and not run. A replica killed while a tick
 * runs has that tick run again by another replica once its heartbeats stop (at least once, then).
 */
public final class ScriptSchedules {
    private static final Logger LOG = Logger.getLogger(ScriptSchedules.class);
    static final String TASK = "sf-schedule";
    /** Later than this, a tick counts as missed: a minute is cron's resolution. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(1);

    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration BEYOND_TIMEOUT = Duration.ofSeconds(5);

    /** Where a cluster runner publishes a tick (the Script's status.schedule); local mode publishes nowhere. */
    public interface StatusReporter {
        void report(String namespace, String name, ScheduleStatus status);
    }

    private final ScriptRegistry registry;
    private final Invoker invoker;
    private final ScheduleLedger ledger;
    private final String runnerName;
    private final RecurringTaskWithPersistentSchedule<ScheduledScript> task;
    private final ScheduledExecutorService syncer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("scriptforge-schedules").unstarted(r));
    private volatile RunnerTasks tasks;
    private volatile StatusReporter reporter = (namespace, name, status) -> {};
    private volatile boolean syncQueued;

    public ScriptSchedules(
            ScriptRegistry registry,
            Invoker invoker,
            io.scriptforge.runner.db.RunnerDatabase database,
            String runnerName) {
        this.registry = registry;
        this.invoker = invoker;
        this.ledger = new ScheduleLedger(database);
        this.runnerName = runnerName;
        this.task =
                new RecurringTaskWithPersistentSchedule<>(
                        TASK,
                        ScheduledScript.class,
                        new FailureHandler.OnFailureRescheduleUsingTaskDataSchedule<>(),
                        new DeadExecutionHandler.ReviveDeadExecution<>(),
                        RecurringTaskWithPersistentSchedule.DEFAULT_PRIORITY) {
                    @Override
                    public CompletionHandler<ScheduledScript> execute(
                            TaskInstance<ScheduledScript> instance, ExecutionContext context) {
                        return tick(instance.getData(), context.getExecution().executionTime);
                    }
                };
    }

    /** The task to register with the scheduler. */
    public Task<ScheduledScript> task() {
        return task;
    }

    /**
     * Starts keeping the task table in step with the Scripts: call once they are all loaded, as a
     * runner that has loaded only some would take the others' schedules for deleted ones.
     */
    public void start(RunnerTasks tasks) {
        this.tasks = tasks;
        registry.onChange(this::requestSync);
        syncer.scheduleWithFixedDelay(this::sync, 0, RESYNC.toSeconds(), TimeUnit.SECONDS);
    }

    public void reportTo(StatusReporter reporter) {
        this.reporter = reporter;
    }

    private void requestSync() {
        if (!syncQueued) {
            syncQueued = true;
            syncer.execute(this::sync);
        }
    }

    /** Makes the task table hold one row per scheduled Script, with its current schedule. */
    void sync() {
        syncQueued = false;
        Map<String, ScheduledScript> wanted = new HashMap<>();
        java.util.Set<String> broken =
                new java.util.HashSet<>(); // kept as they are: a file being edited must not lose its ticks
        for (ScriptRegistry.Entry entry : registry.all()) {
            ScheduledScript schedule = ScheduledScript.of(entry);
            if (schedule != null && entry.loadError() == null) {
                wanted.put(schedule.id(), schedule);
            } else if (entry.schedule() != null) {
                broken.add(entry.qualifiedName());
            }
        }
        try {
            if (wanted.isEmpty() && !tasks.started()) {
                return; // nothing scheduled, and no table to clean: do not start a database for nothing
            }
            SchedulerClient client = tasks.client();
            Map<String, ScheduledExecution<ScheduledScript>> rows = new HashMap<>();
            for (ScheduledExecution<ScheduledScript> row :
                    client.getScheduledExecutionsForTask(TASK, ScheduledScript.class)) {
                rows.put(row.getTaskInstance().getId(), row);
            }
            for (ScheduledScript schedule : wanted.values()) {
                ScheduledExecution<ScheduledScript> row = rows.remove(schedule.id());
                if (row == null) {
                    if (client.scheduleIfNotExists(task.schedulableInstance(schedule.id(), schedule))) {
                        LOG.infof("schedule of Script %s: %s", schedule.id(), schedule.describe());
                    }
                } else if (!schedule.equals(row.getData()) && !row.isPicked()) {
                    client.reschedule(task.schedulableInstance(schedule.id(), schedule));
                    LOG.infof("schedule of Script %s is now %s", schedule.id(), schedule.describe());
                }
            }
            for (ScheduledExecution<ScheduledScript> gone : rows.values()) {
                if (!gone.isPicked() && !broken.contains(gone.getTaskInstance().getId())) {
                    client.cancel(gone.getTaskInstance());
                    LOG.infof(
                            "schedule of Script %s removed: the Script is gone or has no schedule",
                            gone.getTaskInstance().getId());
                }
            }
        } catch (Exception e) {
            // A picked row, or another replica's change in between, is settled by the next sync.
            LOG.warnf("schedules not synchronised (%s); retrying within %d s", e.getMessage(), RESYNC.toSeconds());
        }
    }

    private CompletionHandler<ScheduledScript> tick(ScheduledScript due, Instant dueAt) {
        Optional<ScriptRegistry.Entry> entry = registry.byName(due.id());
        ScheduledScript current = entry.map(ScheduledScript::of).orElse(null);
        if (current == null) {
            LOG.infof("schedule of Script %s removed at its tick: the Script is gone or has no schedule", due.id());
            return new CompletionHandler.OnCompleteRemove<>();
        }
        if (!current.equals(due)) { // changed since the row was written: go on from the new schedule's next tick
            return new CompletionHandler.OnCompleteReschedule<>(current.getSchedule(), current);
        }
        Instant started = tasks.clock().now();
        Duration late = Duration.between(dueAt, started);
        ScheduleLedger.LastRun run;
        if (due.missed() == ScheduleSpec.Missed.skip && late.compareTo(MISSED_AFTER) > 0) {
            run = new ScheduleLedger.LastRun(
                    dueAt,
                    "skipped",
                    "missed by " + late.toSeconds() + " s (no runner was up at its time); missed: skip",
                    started,
                    runnerName);
        } else if (entry.get().compiled() == null) {
            run = new ScheduleLedger.LastRun(
                    dueAt, "failed", "the Script is not loaded: " + entry.get().loadError(), started, runnerName);
        } else {
            run = invoke(entry.get(), dueAt, late);
        }
        record(due, run);
        return new CompletionHandler.OnCompleteReschedule<>(due.getSchedule(), due);
    }

    private ScheduleLedger.LastRun invoke(ScriptRegistry.Entry entry, Instant dueAt, Duration late) {
        String id = "schedule." + entry.namespace() + "." + entry.name() + "." + dueAt.toEpochMilli();
        String trigger = "{\"type\":\"schedule\",\"scheduledAt\":\"" + dueAt + "\",\"lateMillis\":"
                + Math.max(0, late.toMillis()) + "}";
        CompletableFuture<InvocationResult> done = new CompletableFuture<>();
        String outcome;
        String message = null;
        try {
            invoker.start(entry.compiled(), id, "{}", trigger, done::complete);
            InvocationResult result =
                    done.get(entry.compiled().timeout().plus(BEYOND_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            if (result instanceof InvocationResult.Failure failure) {
                outcome = "failed";
                message = failure.status().code() + " " + failure.status().reason()
                        + (failure.message() == null ? "" : ": " + failure.message());
            } else {
                outcome = "completed";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "failed";
            message = "the runner stopped during the tick";
        } catch (TimeoutException e) {
            outcome = "failed";
            message = "no answer within the Script's timeout";
        } catch (Exception e) {
            outcome = "failed";
            message = String.valueOf(e.getMessage());
        }
        if (message != null) {
            LOG.warnf("scheduled tick of Script %s (due %s) failed: %s", entry.qualifiedName(), dueAt, message);
        }
        return new ScheduleLedger.LastRun(dueAt, outcome, message, tasks.clock().now(), runnerName);
    }

    private void record(ScheduledScript due, ScheduleLedger.LastRun run) {
        try {
            ledger.record(due.namespace(), due.name(), run);
        } catch (SQLException e) {
            LOG.warnf(
                    "the tick of Script %s (due %s, %s) is not recorded: %s",
                    due.id(), run.due(), run.outcome(), e.getMessage());
        }
        Instant next = due.getSchedule().getInitialExecutionTime(tasks.clock().now());
        reporter.report(
                due.namespace(),
                due.name(),
                new ScheduleStatus(
                        due.describe(), run.due().toString(), run.outcome(), run.message(), next.toString()));
    }

    /** Every scheduled Script with its last and next tick, for GET /v1/schedules. */
    public List<Map<String, Object>> view() throws SQLException {
        Map<String, Instant> next = new HashMap<>();
        Map<String, ScheduleLedger.LastRun> last = Map.of();
        if (tasks != null && tasks.started()) {
            for (ScheduledExecution<Object> row : tasks.client().getScheduledExecutionsForTask(TASK)) {
                next.put(row.getTaskInstance().getId(), row.getExecutionTime());
            }
            last = ledger.all();
        }
        Map<String, ScheduleLedger.LastRun> lastRuns = last;
        return registry.all().stream()
                .filter(e -> e.schedule() != null)
                .map(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("namespace", e.namespace());
                    row.put("name", e.name());
                    row.put("uuid", e.uuid());
                    row.put("expression", e.schedule().expression());
                    row.put("timeZone", e.schedule().zone().getId());
                    row.put("missed", e.schedule().missedOrDefault().name());
                    row.put("loadError", e.loadError());
                    row.put(
                            "nextRun",
                            Optional.ofNullable(next.get(e.qualifiedName()))
                                    .map(Instant::toString)
                                    .orElse(null));
                    ScheduleLedger.LastRun run = lastRuns.get(e.qualifiedName());
                    row.put("lastRun", run == null ? null : run.due().toString());
                    row.put("lastOutcome", run == null ? null : run.outcome());
                    row.put("lastMessage", run == null ? null : run.message());
                    row.put("lastRunner", run == null ? null : run.runner());
                    return row;
                })
                .toList();
    }

    public void close() {
        syncer.shutdownNow();
    }
}
