package io.scriptforge.runner.tasks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.Task;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The runner's persistent tasks (Script schedules, background jobs): one db-scheduler on the runners'
 * PostgreSQL, shared by every replica of the pool through its {@link TaskTable}. db-scheduler gives
 * each due execution to exactly one replica (a row lock), keeps a heartbeat while it runs, and hands
 * the execution of a replica that stopped beating to another one.
 */
public final class RunnerTasks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunnerTasks.class);

    /**
     * @param pollingInterval how often a replica looks for due executions (a job posted to this replica runs at once)
     * @param heartbeatInterval how often a running execution proves its replica alive
     * @param missedHeartbeats heartbeats missed before another replica takes the execution over
     * @param threads executions one replica runs at once
     * @param shutdownWait how long a stopping replica lets its running executions finish before it interrupts them
     */
    public record Settings(
            Duration pollingInterval,
            Duration heartbeatInterval,
            int missedHeartbeats,
            int threads,
            TaskClock clock,
            Duration shutdownWait) {}

    private final RunnerDatabase database;
    private final TaskTable table;
    private final Settings settings;
    private final List<Task<?>> tasks;
    private Scheduler scheduler;
    private boolean stopping;
    private boolean stopped;
    private boolean closed;

    public RunnerTasks(RunnerDatabase database, TaskTable table, Settings settings, List<Task<?>> tasks) {
        this.database = database;
        this.table = table;
        this.settings = settings;
        this.tasks = List.copyOf(tasks);
    }

    /** The scheduler, started on first use: its table is made then, so a runner without tasks never connects for them. */
    public synchronized SchedulerClient client() throws SQLException {
        if (closed || stopping && scheduler == null) {
            throw new IllegalStateException("the runner is shutting down: its scheduler is stopped");
        }
        if (scheduler == null) {
            if (!database.available()) {
                throw new SQLException(
                        "schedules and jobs need the runners' PostgreSQL: " + database.unavailableReason());
            }
            database.createTables("the task table " + table.name(), table.ddl());
            scheduler = Scheduler.create(database.dataSource(), tasks)
                    .tableName(table.name())
                    .serializer(new JacksonSerializer())
                    .clock(settings.clock())
                    .pollingInterval(settings.pollingInterval())
                    .heartbeatInterval(settings.heartbeatInterval())
                    // db-scheduler beats every interval of real time but judges staleness on its clock: an
                    // accelerated clock needs as many more beats missed to keep the takeover delay real.
                    .missedHeartbeatsLimit((int) Math.ceil(
                            settings.missedHeartbeats() * settings.clock().speed()))
                    .threads(settings.threads())
                    .enableImmediateExecution()
                    .shutdownMaxWait(settings.shutdownWait())
                    .build();
            scheduler.start();
            LOG.infof("tasks: scheduler started on %s (polling every %s)", table.name(), settings.pollingInterval());
        }
        return scheduler;
    }

    public synchronized boolean started() {
        return scheduler != null;
    }

    public TaskClock clock() {
        return settings.clock();
    }

    /**
     * Takes no more due ticks and jobs, and lets the running ones finish for up to the shutdown wait; then
     * interrupts them: a job's attempt is given back (retried later, by any replica), a tick recorded as failed.
     * A replica killed instead stops beating, and another one takes its executions over. The client still
     * schedules (into the table, for the other replicas), so an invocation still running may enqueue a job.
     */
    public void stopRunning() {
        Scheduler running;
        synchronized (this) {
            stopping = true;
            if (stopped || scheduler == null) {
                return;
            }
            stopped = true;
            running = scheduler;
        }
        running.stop(); // outside the lock: it waits, and client() must not
        LOG.info("tasks: scheduler stopped");
    }

    @Override
    public void close() {
        stopRunning();
        synchronized (this) {
            closed = true;
            scheduler = null;
        }
    }
}
