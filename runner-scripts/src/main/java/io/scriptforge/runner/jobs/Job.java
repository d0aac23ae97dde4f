package io.scriptforge.runner.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A job as stored in {@code scriptforge.sf_jobs}. JSON columns stay JSON text: the runner passes them
 * on (to the script, to a client) without reading them.
 *
 * @param state      as a client sees it: a delayed job whose time has come is waiting
 * @param attempts   attempts started so far (counted as each one starts, so a runner killed mid-job leaves it counted)
 * @param errorJson  the last failed attempt's {@code {code, reason, message}}, or null
 * @param runner     the runner that started the latest attempt ({@code host/pid}), or null
 */
public record Job(
        UUID id,
        String namespace,
        String name,
        String uuid,
        String dataJson,
        JobState state,
        int attempts,
        int maxAttempts,
        long backoffMillis,
        String progressJson,
        String resultJson,
        String errorJson,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        Instant runAfter,
        String runner) {

    /** The invocation id of one attempt: unique per attempt, and known to every replica (for a local cancel). */
    public String invocationId(int attempt) {
        return "job-" + id + "-" + attempt;
    }
}
