package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.control.ControlPermission;
import io.scriptforge.runner.jobs.Job;
import io.scriptforge.runner.jobs.JobException;
import io.scriptforge.runner.jobs.JobOptions;
import io.scriptforge.runner.jobs.JobState;
import io.scriptforge.runner.jobs.JobStore;
import io.scriptforge.runner.jobs.JobView;
import io.scriptforge.runner.jobs.Jobs;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job queue over HTTP. Handlers parse on the event loop and hand the database work to a virtual
 * thread, so a slow database never stalls the gateway.
 */
@ApplicationScoped
public class JobRoutes {
    private static final int DEFAULT_LIST_LIMIT = 100;

    @Inject
    Jobs jobs;

    @Inject
    ScriptRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    RunnerConfig config;

    @Inject
    ControlAccess access;

    @Inject
    BlockingWork blockingWork;

    /** A SQL call of a handler: the database's failure becomes 503, the caller's mistake 400 or 404. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        router.route(HttpMethod.POST, "/v1/jobs/:uuid")
                .handler(body)
                .handler(this::enqueue)
                .failureHandler(this::failure);
        router.route(HttpMethod.GET, "/v1/jobs/:id").handler(this::get);
        router.route(HttpMethod.GET, "/v1/jobs").handler(this::list);
        router.route(HttpMethod.DELETE, "/v1/jobs/:id").handler(this::cancel);
    }

    /** The body handler's refusal, in the gateway's error format (it counts chunked bodies too). */
    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            BoundedBody.tooLarge(ctx, config.maxBodyBytes(), "scriptforge.max-body-bytes");
        } else {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            ErrorBody.send(
                    ctx.response(),
                    code,
                    io.netty.handler.codec.http.HttpResponseStatus.valueOf(code).reasonPhrase(),
                    ctx.failure() == null ? null : ctx.failure().getMessage());
        }
    }

    private void enqueue(RoutingContext ctx) {
        ScriptRegistry.Entry entry = ScriptLookup.byPath(ctx, registry);
        if (entry == null || !ScriptLookup.servable(ctx.response(), entry)) {
            return;
        }
        access.ifAllowed(ctx, entry.namespace(), ControlPermission.ENQUEUE_JOB, () -> enqueue(ctx, entry));
    }

    private void enqueue(RoutingContext ctx, ScriptRegistry.Entry entry) {
        String uuid = entry.uuid();
        JobOptions options;
        String data;
        try {
            long attempts = option(ctx, "attempts", "X-Job-Attempts", JobOptions.DEFAULT.attempts());
            options = new JobOptions(
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, attempts)),
                    Duration.ofMillis(option(ctx, "delay", "X-Job-Delay", 0L)),
                    Duration.ofMillis(option(
                            ctx,
                            "backoff",
                            "X-Job-Backoff",
                            JobOptions.DEFAULT.backoff().toMillis())));
            data = RequestData.fromBody(
                    ctx.request().getHeader("Content-Type"), ctx.body().asString());
        } catch (JobException | RequestData.BadInput e) {
            ErrorBody.send(ctx.response(), 400, "POST /v1/jobs/" + uuid + ": " + e.getMessage());
            return;
        }
        String base = ctx.request().scheme() + "://" + ctx.request().authority();
        blocking(ctx, () -> {
            Job job = jobs.enqueue(entry, data, options);
            String url = base + "/v1/jobs/" + job.id();
            var answer = json.createObjectNode()
                    .put("id", job.id().toString())
                    .put("state", job.state().wireName())
                    .put("url", url);
            ctx.response()
                    .setStatusCode(202)
                    .putHeader("Location", url)
                    .putHeader("Content-Type", "application/json")
                    .end(answer.toString());
        });
    }

    private void get(RoutingContext ctx) {
        UUID id = jobId(ctx);
        if (id != null) {
            blocking(ctx, () -> {
                Optional<Job> job = jobs.get(id);
                ifAllowed(ctx, job, ControlPermission.READ_JOB, () -> send(ctx, 200, job, id), id);
            });
        }
    }

    /**
     * Runs {@code then} when the job exists and the caller may do {@code permission} to it. A caller who may not even
     * read it gets 404, as for an unknown id (another tenant learns nothing); one who may read it, 403.
     */
    private void ifAllowed(
            RoutingContext ctx, Optional<Job> job, ControlPermission permission, Runnable then, UUID id) {
        Runnable unknown = () -> send(ctx, 404, Optional.empty(), id);
        if (job.isEmpty()) {
            unknown.run();
            return;
        }
        if (permission.equals(ControlPermission.READ_JOB)) {
            access.ifAllowedElse(ctx, job.get().namespace(), permission, then, unknown);
        } else {
            access.ifAllowedElseHidden(
                    ctx, job.get().namespace(), permission, ControlPermission.READ_JOB, then, unknown);
        }
    }

    private void list(RoutingContext ctx) {
        String uuid = ctx.queryParams().get("uuid");
        String stateText = ctx.queryParams().get("state");
        String limitText = ctx.queryParams().get("limit");
        ScriptRegistry.Entry script = uuid == null ? null : ScriptLookup.byUuid(ctx, registry, uuid);
        if (uuid != null && script == null) {
            return;
        }
        Optional<JobState> state = stateText == null ? Optional.empty() : JobState.parse(stateText);
        if (stateText != null && state.isEmpty()) {
            ErrorBody.send(
                    ctx.response(),
                    400,
                    "GET /v1/jobs: state must be one of " + JobState.names() + ", not '" + stateText + "'");
            return;
        }
        int limit;
        try {
            limit = limitText == null ? DEFAULT_LIST_LIMIT : Integer.parseInt(limitText);
            if (limit < 1 || limit > JobStore.MAX_LIST) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            ErrorBody.send(
                    ctx.response(),
                    400,
                    "GET /v1/jobs: limit must be an integer from 1 to " + JobStore.MAX_LIST + ", not '" + limitText
                            + "'");
            return;
        }
        if (script != null) {
            access.ifAllowed(
                    ctx,
                    script.namespace(),
                    ControlPermission.LIST_JOBS,
                    () -> sendList(ctx, List.of(script.uuid()), state.orElse(null), limit));
            return;
        }
        var served = registry.all();
        access.withAllowed(
                ctx,
                served.stream().map(ScriptRegistry.Entry::namespace).toList(),
                ControlPermission.LIST_JOBS,
                allowed -> sendList(
                        ctx,
                        served.stream()
                                .filter(e -> allowed.contains(e.namespace()))
                                .map(ScriptRegistry.Entry::uuid)
                                .toList(),
                        state.orElse(null),
                        limit));
    }

    private void sendList(RoutingContext ctx, List<String> uuids, JobState state, int limit) {
        blocking(ctx, () -> {
            var rows = json.createArrayNode();
            jobs.list(uuids, state, limit).forEach(j -> rows.add(JobView.of(j, json)));
            ctx.response().putHeader("Content-Type", "application/json").end(rows.toString());
        });
    }

    private void cancel(RoutingContext ctx) {
        UUID id = jobId(ctx);
        if (id != null) {
            blocking(
                    ctx,
                    () -> ifAllowed(
                            ctx,
                            jobs.get(id),
                            ControlPermission.CANCEL_JOB,
                            () -> blocking(ctx, () -> {
                                try {
                                    send(ctx, 200, jobs.cancel(id), id);
                                } catch (JobException e) {
                                    ErrorBody.send(ctx.response(), 409, e.getMessage());
                                }
                            }),
                            id));
        }
    }

    private void send(RoutingContext ctx, int status, Optional<Job> job, UUID id) {
        if (job.isEmpty()) {
            ErrorBody.send(
                    ctx.response(),
                    404,
                    "no job has id " + id + " (GET /v1/jobs lists the jobs of this runner's Scripts)");
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(JobView.of(job.get(), json).toString());
    }

    /** The path's job id, or null after answering 400. */
    private static UUID jobId(RoutingContext ctx) {
        String text = ctx.pathParam("id");
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            ErrorBody.send(
                    ctx.response(),
                    400,
                    "'" + text + "' is not a job id: job ids are the UUIDs POST /v1/jobs/{uuid} answers");
            return null;
        }
    }

    /** An option from the query (?name=) or else a header; a whole number of its unit. */
    private static long option(RoutingContext ctx, String name, String header, long fallback) {
        String text = ctx.queryParams().get(name);
        if (text == null) {
            text = ctx.request().getHeader(header);
        }
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new JobException(name + " (query ?" + name + "= or header " + header
                    + ") must be a whole number, not '" + text + "'");
        }
    }

    private void blocking(RoutingContext ctx, Work work) {
        blockingWork.start(ctx, "scriptforge-jobs-http", () -> {
            try {
                work.run();
            } catch (JobException e) {
                ErrorBody.send(
                        ctx.response(),
                        e.notFound() ? 404 : 400,
                        e.notFound() ? "Not Found" : "Bad Request",
                        e.getMessage());
            } catch (SQLException | RuntimeException e) {
                ErrorBody.send(ctx.response(), 503, "the job queue is unavailable: " + e.getMessage());
            }
        });
    }
}
