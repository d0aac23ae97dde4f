package io.scriptforge.runner.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.invoke.DuplicateInvocationException;
import io.scriptforge.runner.invoke.InvocationResult;
import io.scriptforge.runner.invoke.Invoker;
import io.scriptforge.runner.registry.ScriptRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs one attempt of a job, on the db-scheduler thread that picked it: the thread waits for the
 * invocation, so db-scheduler's heartbeat keeps saying this replica works on it, and a replica that
 * dies mid-attempt leaves an execution another replica revives.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    /** How often the waiting thread looks whether the job was cancelled on another replica. */
    static final Duration CANCEL_CHECK = Duration.ofMillis(500);
    /** Past the script's own timeout (which the invoker enforces), the wait gives up on a lost answer. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final JobStore store;
    private final ScriptRegistry registry;
    private final Invoker invoker;
    private final ObjectMapper json;
    private final String runnerId;

    /** @param runnerId this replica, as the job row names it ({@code host/pid}): enough to find the process running an attempt */
    public JobRunner(JobStore store, ScriptRegistry registry, Invoker invoker, ObjectMapper json, String runnerId) {
        this.runnerId = runnerId;
        this.store = store;
        this.registry = registry;
        this.invoker = invoker;
        this.json = json;
    }

    /** Runs the job's next attempt, if it has one; returns the wait before the attempt after it when this one failed and may be retried. */
    public Optional<Duration> run(UUID id) throws SQLException, InterruptedException {
        JobStore.Start start = store.begin(id, runnerId);
        if (start instanceof JobStore.Start.Skip skip) {
            LOG.debugf("job: %s", skip.why());
            return Optional.empty();
        }
        JobStore.Start.Run run = (JobStore.Start.Run) start;
        Job job = run.job();
        InvocationResult result = invoke(job, run.attempt());
        if (result instanceof InvocationResult.Failure failure) {
            JobStore.AfterFailure after = store.fail(id, run.attempt(), errorJson(failure));
            LOG.debugf(
                    "job %s attempt %d of %s failed (%s): %s", id, run.attempt(), job.name(), failure.status(), after);
            return after instanceof JobStore.AfterFailure.Retry retry ? Optional.of(retry.after()) : Optional.empty();
        }
        if (!store.complete(id, run.attempt(), resultJson(result))) {
            LOG.debugf("job %s was cancelled while attempt %d ran: its result is dropped", id, run.attempt());
        }
        return Optional.empty();
    }

    private InvocationResult invoke(Job job, int attempt) throws SQLException, InterruptedException {
        ScriptRegistry.Entry entry = registry.byUuid(job.uuid()).orElse(null);
        if (entry == null || entry.compiled() == null) {
            return InvocationResult.Failure.of(
                    503,
                    "Service Unavailable",
                    entry == null
                            ? "Script " + job.namespace() + "/" + job.name() + " (" + job.uuid()
                                    + ") is not served by runner " + runnerId
                            : "Script " + entry.qualifiedName() + " is not loaded: " + entry.loadError());
        }
        String invocationId = job.invocationId(attempt);
        String trigger = "{\"type\":\"job\",\"jobId\":\"" + job.id() + "\",\"attempt\":" + attempt + "}";
        CompletableFuture<InvocationResult> done = new CompletableFuture<>();
        try {
            invoker.start(entry.compiled(), invocationId, job.dataJson(), trigger, done::complete);
        } catch (DuplicateInvocationException e) {
            return InvocationResult.Failure.of(409, "Conflict", e.getMessage());
        }
        long giveUp = System.nanoTime() + entry.compiled().timeout().plus(GRACE).toNanos();
        while (true) {
            try {
                return done.get(CANCEL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > giveUp || cancelled(job)) {
                    invoker.cancel(invocationId);
                }
            } catch (
                    InterruptedException e) { // the scheduler stops: the attempt stays counted, another replica retries
                invoker.cancel(invocationId);
                throw e;
            } catch (ExecutionException e) {
                return InvocationResult.Failure.of(500, "Internal Server Error", "runner failure: " + e.getCause());
            }
        }
    }

    private boolean cancelled(Job job) throws SQLException {
        return store.find(job.id()).map(j -> j.state() == JobState.CANCELLED).orElse(true);
    }

    private String resultJson(InvocationResult result) {
        return switch (result) {
            case InvocationResult.Json value -> value.body();
            case InvocationResult.Text text -> json.valueToTree(text.body()).toString();
            case InvocationResult.Empty empty -> null;
            case InvocationResult.Failure failure -> throw new IllegalArgumentException("a failure has no result");
        };
    }

    /** The error a client sees for a failed attempt: the gateway's error fields. */
    String errorJson(InvocationResult.Failure failure) {
        ObjectNode error = json.createObjectNode();
        error.put("code", failure.status().code());
        error.put("reason", failure.status().reason());
        if (failure.message() != null) {
            error.put("message", failure.message());
        }
        if (failure.at() != null) {
            error.put("at", failure.at());
        }
        return error.toString();
    }
}
