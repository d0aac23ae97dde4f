package io.scriptforge.runner.jobs;

import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.tasks.RunnerTasks;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What clients and scripts do with jobs: enqueue, look, list, cancel. Running them is {@link JobRunner}'s. */
public final class Jobs {
    public static final int MAX_DATA_BYTES = 1 << 20;

    private final JobStore store;
    private final RunnerTasks tasks;
    private final Invoker invoker;

    public Jobs(JobStore store, RunnerTasks tasks, Invoker invoker) {
        this.store = store;
        this.tasks = tasks;
        this.invoker = invoker;
    }

    /** Stores the job, then makes its execution; a job whose execution cannot be made is cancelled rather than left waiting forever. */
    public Job enqueue(ScriptRegistry.Entry script, String dataJson, JobOptions options) throws SQLException {
        int bytes = dataJson == null ? 0 : dataJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DATA_BYTES) {
            throw new JobException("the job's data is " + bytes + " bytes of JSON, more than " + MAX_DATA_BYTES);
        }
        var client = tasks.client(); // before the row: a runner that cannot schedule stores nothing
        Job job = store.insert(script.namespace(), script.name(), script.uuid(), dataJson, options);
        try {
            JobTask.schedule(client, tasks.clock(), job.id(), options.delay());
        } catch (RuntimeException e) {
            store.cancel(job.id());
            throw e;
        }
        return job;
    }

    public Optional<Job> get(UUID id) throws SQLException {
        return store.find(id);
    }

    /** The jobs of the Scripts with these uuids, newest first. */
    public List<Job> list(List<String> uuids, JobState state, int limit) throws SQLException {
        return uuids.isEmpty() ? List.of() : store.list(uuids, state, limit);
    }

    /**
     * Cancels a job: a waiting or delayed one loses its execution; a running one is stopped here when
     * it runs here, else by the replica running it, which looks at its job every {@link JobRunner#CANCEL_CHECK}.
     *
     * @return the job as it is now, or empty when there is none
     * @throws JobException when it finished already
     */
    public Optional<Job> cancel(UUID id) throws SQLException {
        Optional<Job> before = store.cancel(id);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Job job = before.get();
        if (job.state() == JobState.ACTIVE) {
            invoker.cancel(job.invocationId(job.attempts()));
        } else {
            JobTask.unschedule(tasks.client(), id);
        }
        return store.find(id);
    }
}
