package io.scriptforge.runner.jobs;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.scriptforge.runner.tasks.TaskClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The db-scheduler task of jobs: one execution per job (its instance id and data are the job's id),
 * due when the job's next attempt is. A retry reschedules the same execution; a dead replica's
 * execution is revived on another one (db-scheduler's default for this task).
 */
public final class JobTask {
    public static final String NAME = "scriptforge-job";
    private static final Logger LOG = Logger.getLogger(JobTask.class);
    /** When the runner itself failed (the database was unreachable), the attempt is looked at again after this. */
    private static final Duration RUNNER_FAILURE_RETRY = Duration.ofSeconds(5);

    private JobTask() {}

    public static Task<String> create(JobRunner runner, TaskClock clock) {
        return Tasks.custom(NAME, String.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.OnFailureRetryLater<>(clock.scheduled(RUNNER_FAILURE_RETRY)))
                .execute((instance, context) -> {
                    Optional<Duration> retry;
                    try {
                        retry = runner.run(UUID.fromString(instance.getData()));
                    } catch (SQLException e) {
                        throw new IllegalStateException("job " + instance.getData() + ": " + e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("job " + instance.getData() + " stopped with its runner", e);
                    }
                    if (retry.isEmpty()) {
                        return new CompletionHandler.OnCompleteRemove<>();
                    }
                    Instant next = clock.now().plus(clock.scheduled(retry.get()));
                    return (complete, operations) -> operations.reschedule(complete, next);
                });
    }

    /** Makes the job's execution, due after {@code delay}. */
    static void schedule(SchedulerClient client, TaskClock clock, UUID id, Duration delay) {
        client.schedule(
                new TaskInstance<>(NAME, id.toString(), id.toString()),
                clock.now().plus(clock.scheduled(delay)));
    }

    /** Removes the job's execution, unless a replica picked it meanwhile (that one then finds the job cancelled). */
    static void unschedule(SchedulerClient client, UUID id) {
        try {
            client.cancel(TaskInstanceId.of(NAME, id.toString()));
        } catch (RuntimeException e) {
            LOG.debugf(
                    "job %s: its execution was not removed (%s); its next start finds it cancelled",
                    id, e.getMessage());
        }
    }
}
