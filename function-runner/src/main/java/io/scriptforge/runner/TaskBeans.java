package io.scriptforge.runner;

import io.quarkus.runtime.StartupEvent;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.db.DatabaseRetries;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.jobs.JobRunner;
import io.scriptforge.runner.jobs.JobTask;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.schedule.ScriptSchedules;
import io.scriptforge.runner.sources.ClusterLoader;
import io.scriptforge.runner.tasks.RunnerTasks;
import io.scriptforge.runner.tasks.TaskClock;
import io.scriptforge.runner.tasks.TaskTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Wires the persistent tasks: the scheduler and the kinds of task it runs (schedules, jobs). */
@ApplicationScoped
public class TaskBeans {
    private static final Logger LOG = Logger.getLogger(TaskBeans.class);
    private final DatabaseRetries startRetries = new DatabaseRetries("scriptforge-tasks-start");

    @Produces
    @Singleton
    ScriptSchedules schedules(ScriptRegistry registry, Invoker invoker, RunnerDatabase database) {
        return new ScriptSchedules(registry, invoker, database, RunnerBeans.runnerName());
    }

    void closeSchedules(@Disposes ScriptSchedules schedules) {
        schedules.close();
    }

    @Produces
    @Singleton
    RunnerTasks tasks(RunnerDatabase database, RunnerConfig config, ScriptSchedules schedules, JobRunner jobs) {
        RunnerConfig.Tasks settings = config.tasks();
        TaskClock clock = settings.clockSpeed() == 1
                ? TaskClock.SYSTEM
                : new TaskClock(settings.clockOrigin().orElse(System.currentTimeMillis()), settings.clockSpeed());
        return new RunnerTasks(
                database,
                table(config),
                new RunnerTasks.Settings(
                        settings.pollingInterval(),
                        settings.heartbeatInterval(),
                        settings.missedHeartbeats(),
                        settings.threads(),
                        clock,
                        config.shutdown().timeout()),
                List.of(schedules.task(), JobTask.create(jobs, clock)));
    }

    void closeTasks(@Disposes RunnerTasks tasks) {
        startRetries.close();
        tasks.close();
    }

    /**
     * A runner with a database of its own (a URL, or make run's kept embedded one) starts its scheduler as soon
     * as its Scripts are loaded, so the ticks and jobs waiting in it run without anything new arriving; others on
     * first use. Not before: a replica that polled while its first list was still on the way would take a due
     * tick's Script for a deleted one and drop the schedule's row, and the tick with it.
     * A database that is not there yet is tried again until it is.
     */
    void start(
            @Observes StartupEvent event,
            RunnerConfig config,
            RunnerTasks tasks,
            ScriptSchedules schedules,
            @org.eclipse.microprofile.health.Readiness ScriptsLoadedCheck loaded) {
        boolean ownDatabase =
                hasText(config.database().url()) || hasText(config.database().embeddedDir());
        loaded.whenLoaded(() -> {
            schedules.start(tasks);
            if (ownDatabase) {
                Thread.ofVirtual().name("scriptforge-tasks-start").start(() -> {
                    if (!started(tasks, true)) {
                        startRetries.retry(() -> started(tasks, false));
                    }
                });
            }
        });
    }

    /** Whether the scheduler runs (or the runner stops, so it never will); the first failure is logged as an error. */
    private static boolean started(RunnerTasks tasks, boolean first) {
        try {
            tasks.client();
            if (!first) {
                LOG.info("schedules and jobs started: the database answers");
            }
            return true;
        } catch (IllegalStateException shuttingDown) {
            return true;
        } catch (Exception e) {
            if (first) {
                LOG.errorf(
                        "schedules and jobs cannot start yet: %s (tried again, at least every %d s)",
                        e.getMessage(), DatabaseRetries.MOST.toSeconds());
            } else {
                LOG.debugf("schedules and jobs still cannot start: %s", e.getMessage());
            }
            return false;
        }
    }

    private static TaskTable table(RunnerConfig config) {
        if (!config.kubernetes().enabled()) {
            return TaskTable.local();
        }
        String namespace =
                ClusterLoader.namespace(config.kubernetes().namespace(), ClusterLoader.POD_NAMESPACE_FILE, "default");
        return TaskTable.ofPool(namespace, config.kubernetes().pool());
    }

    private static boolean hasText(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }
}
