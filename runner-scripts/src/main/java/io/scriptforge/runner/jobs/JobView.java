package io.scriptforge.runner.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A job as clients and scripts see it: the same object from GET /v1/jobs/{id} and jobs.get(id). */
public final class JobView {
    private JobView() {}

    public static ObjectNode of(Job job, ObjectMapper json) {
        ObjectNode view = json.createObjectNode();
        view.put("id", job.id().toString());
        view.put("uuid", job.uuid());
        view.put("name", job.name());
        view.put("namespace", job.namespace());
        view.put("state", job.state().wireName());
        view.put("attempts", job.attempts());
        view.put("maxAttempts", job.maxAttempts());
        view.set("progress", parsed(json, job.progressJson()));
        if (job.state() == JobState.COMPLETED) {
            view.set("result", parsed(json, job.resultJson()));
        }
        if (job.errorJson() != null) { // a delayed job keeps its last attempt's error too: why it is retried
            view.set("error", parsed(json, job.errorJson()));
        }
        time(view, "createdAt", job.createdAt());
        time(view, "startedAt", job.startedAt());
        time(view, "finishedAt", job.finishedAt());
        time(view, "runAfter", job.runAfter());
        view.put("runner", job.runner());
        return view;
    }

    private static JsonNode parsed(ObjectMapper json, String text) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("sf_jobs holds JSON PostgreSQL wrote: " + e.getOriginalMessage(), e);
        }
    }

    private static void time(ObjectNode view, String field, Instant at) {
        if (at == null) {
            view.putNull(field);
        } else {
            view.put(field, at.toString());
        }
    }
}
