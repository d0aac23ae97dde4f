package io.scriptforge.runner.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.runner.invoke.JobsGlobal;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.bridge.HostFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The host side of the scripts' {@code jobs} global. A script reaches only its own namespace: it
 * enqueues Scripts of its namespace, and the jobs of other namespaces do not exist for it.
 */
public final class ScriptJobs implements JobsGlobal {
    private static final Logger LOG = Logger.getLogger(ScriptJobs.class);
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Jobs jobs;
    private final JobStore store;
    private final ScriptRegistry registry;
    private final ObjectMapper json;

    public ScriptJobs(Jobs jobs, JobStore store, ScriptRegistry registry, ObjectMapper json) {
        this.jobs = jobs;
        this.store = store;
        this.registry = registry;
        this.json = json;
    }

    @Override
    public String call(CompiledScript script, String triggerJson, String op, String argsJson) {
        try {
            JsonNode args = json.readTree(argsJson);
            return switch (op) {
                case "enqueue" ->
                    json.writeValueAsString(enqueue(script, args).id().toString());
                case "get" ->
                    visible(script, args.path("id").asText())
                            .map(j -> JobView.of(j, json).toString())
                            .orElse(null);
                case "progress" -> progress(triggerJson, args.get("value"));
                default -> throw new JobException("jobs: no operation '" + op + "'");
            };
        } catch (JobException e) {
            throw new HostFailure(e.getMessage());
        } catch (SQLException | RuntimeException | JsonProcessingException e) {
            LOG.warnf("jobs.%s of %s failed: %s", op, script.qualifiedName(), e.getMessage());
            throw new HostFailure("jobs." + op + " failed: " + e.getMessage());
        }
    }

    private Job enqueue(CompiledScript caller, JsonNode args) throws SQLException {
        String target = args.path("target").asText();
        ScriptRegistry.Entry entry = UUID_FORM.matcher(target).matches()
                ? registry.byUuid(target.toLowerCase(java.util.Locale.ROOT)).orElse(null)
                : registry.byName(caller.namespace() + "/" + target).orElse(null);
        if (entry == null) {
            throw new JobException("jobs.enqueue: no Script '" + target + "' in namespace '" + caller.namespace()
                    + "' (give its name or uuid)");
        }
        if (!entry.namespace().equals(caller.namespace())) {
            throw new JobException("jobs.enqueue: Script '" + target + "' is in namespace '" + entry.namespace()
                    + "': a script enqueues only Scripts of its own namespace ('" + caller.namespace() + "')");
        }
        JobOptions options = new JobOptions(
                args.path("attempts").asInt(JobOptions.DEFAULT.attempts()),
                Duration.ofMillis(args.path("delay").asLong(0)),
                Duration.ofMillis(
                        args.path("backoff").asLong(JobOptions.DEFAULT.backoff().toMillis())));
        JsonNode data = args.path("data");
        return jobs.enqueue(entry, data.isNull() || data.isMissingNode() ? null : data.toString(), options);
    }

    /** The job, if it exists and is of the script's namespace. */
    private Optional<Job> visible(CompiledScript script, String id) throws SQLException {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new JobException("jobs: '" + id + "' is not a job id (a UUID, as jobs.enqueue returns)");
        }
        return store.find(uuid).filter(j -> j.namespace().equals(script.namespace()));
    }

    private String progress(String triggerJson, JsonNode value) throws SQLException, JsonProcessingException {
        JsonNode trigger = triggerJson == null ? null : json.readTree(triggerJson);
        if (trigger == null || !"job".equals(trigger.path("type").asText())) {
            throw new JobException(
                    "jobs.progress() reports the progress of a job: this invocation is not one (ctx.trigger.type is not 'job')");
        }
        String text = value.toString();
        if (text.length() > Jobs.MAX_DATA_BYTES) {
            throw new JobException("jobs.progress(): the value is " + text.length() + " characters of JSON, more than "
                    + Jobs.MAX_DATA_BYTES);
        }
        return String.valueOf(store.progress(
                UUID.fromString(trigger.path("jobId").asText()),
                trigger.path("attempt").asInt(),
                text));
    }
}
