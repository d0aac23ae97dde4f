package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;
import java.util.Map;

/** What a user declares of a Script. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class) // not KubernetesResource's polymorphic reader
@ValidationRule(
        value = "!has(self.modules) || size(self.modules) == 0 || (has(self.type) && self.type != 'script')",
        message = "spec.modules: a Script of type script may not use modules; use type app or worker",
        fieldPath = ".modules")
@ValidationRule(
        value = "!has(self.modules) || self.modules.all(m, m in " + AllowedModules.CEL_LIST + ")",
        message = "spec.modules: only these npm modules are allowed: " + AllowedModules.CEL_LIST,
        fieldPath = ".modules")
@ValidationRule(
        value = "!has(self.env) || self.env.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))",
        message = "spec.env: variable names are letters, digits and _, not starting with a digit",
        fieldPath = ".env")
public class ScriptSpec implements KubernetesResource {
    private ScriptType type = ScriptType.SCRIPT;

    @Required
    private String code;

    @PreserveUnknownFields
    private JsonNode vars;

    @Pattern(DurationString.PATTERN)
    private String timeout;

    @Pattern(SipStatus.PATTERN)
    private String timeoutAction;

    @Pattern(ScriptIdentity.UUID_PATTERN)
    private String uuid;

    private Map<String, String> env;

    @Pattern(Names.DNS_LABEL)
    private String app;

    @Pattern(Names.DNS_LABEL)
    @Size(max = Names.MAX_POOL_NAME)
    private String pool;

    @Size(max = 32)
    private List<String> modules;

    private ScriptRouting routing;
    private ScheduleSpec schedule;
    private ScriptAuth auth;
    private ScriptCors cors;

    public ScriptType getType() {
        return type;
    }

    public void setType(ScriptType type) {
        this.type = type;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }
    /** Default input: the seed's "Set Vars"; any JSON value. */
    public JsonNode getVars() {
        return vars;
    }

    public void setVars(JsonNode vars) {
        this.vars = vars;
    }
    /** Duration string such as 500ms, 2s, 1m. */
    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }
    /** "NNN Reason" answered when the invocation times out. */
    public String getTimeoutAction() {
        return timeoutAction;
    }

    public void setTimeoutAction(String timeoutAction) {
        this.timeoutAction = timeoutAction;
    }

    public String getUuid() {
        return uuid;
    }

    public void setUuid(String uuid) {
        this.uuid = uuid;
    }
    /** Extra process.env entries. */
    public Map<String, String> getEnv() {
        return env;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env;
    }
    /** The App this script belongs to (process.env.APP_ID). */
    public String getApp() {
        return app;
    }

    public void setApp(String app) {
        this.app = app;
    }
    /** The RunnerPool of this namespace that serves the script; empty means "default". */
    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }
    /** npm modules from the allowlist the code requires (app and worker types only). */
    public List<String> getModules() {
        return modules;
    }

    public void setModules(List<String> modules) {
        this.modules = modules;
    }
    /** The Global Routing Priority; absent means disabled. */
    public ScriptRouting getRouting() {
        return routing;
    }

    public void setRouting(ScriptRouting routing) {
        this.routing = routing;
    }
    /** When the platform runs the script by itself (cron), once per tick for the whole cluster; absent: never. */
    public ScheduleSpec getSchedule() {
        return schedule;
    }

    public void setSchedule(ScheduleSpec schedule) {
        this.schedule = schedule;
    }
    /** What a caller of /v1/invoke and /v1/route must show; absent: the UUID is the capability. */
    public ScriptAuth getAuth() {
        return auth;
    }

    public void setAuth(ScriptAuth auth) {
        this.auth = auth;
    }
    /** The web origins whose pages may invoke the Script from a browser; absent: none. */
    public ScriptCors getCors() {
        return cors;
    }

    public void setCors(ScriptCors cors) {
        this.cors = cors;
    }
    /**
     * What is wrong with spec.auth and spec.cors, as the operator's Ready condition and a runner's loadError say it.
     * The schema checks most of it in a cluster; the origins' form only here, and a directory has no schema at all.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public java.util.Optional<String> accessProblem() {
        if (auth != null) {
            if ((auth.getBearer() == null) == (auth.getKubernetes() == null)) {
                return java.util.Optional.of(
                        "spec.auth: give either bearer (a Secret's key) or kubernetes (a verb), not both and not neither");
            }
            KeyReference bearer = auth.getBearer();
            if (bearer != null
                    && (bearer.getName() == null
                            || !bearer.getName().matches(Names.SECRET_NAME)
                            || bearer.getKey() == null
                            || !bearer.getKey().matches(Names.SECRET_KEY))) {
                return java.util.Optional.of(
                        "spec.auth.bearer: name (a Secret of the Script's namespace) and key are required,"
                                + " e.g. {name: hook-token, key: token}");
            }
            String verb =
                    auth.getKubernetes() == null ? null : auth.getKubernetes().getVerb();
            if (auth.getKubernetes() != null && (verb == null || !verb.matches(KubernetesAccess.VERB_PATTERN))) {
                return java.util.Optional.of(
                        "spec.auth.kubernetes.verb: a lower-case RBAC verb such as invoke, not '" + verb + "'");
            }
        }
        if (cors != null) {
            List<String> origins = cors.getAllowOrigins();
            if (origins == null || origins.isEmpty() || origins.size() > 32) {
                return java.util.Optional.of("spec.cors.allowOrigins: list 1 to 32 origins, or leave spec.cors out");
            }
            for (String origin : origins) {
                if (origin == null || origin.length() > 256 || !origin.matches(ScriptCors.ORIGIN_PATTERN)) {
                    return java.util.Optional.of(
                            "spec.cors.allowOrigins: each is an origin, scheme://host[:port] without a path"
                                    + " (e.g. https://crm.example.com), not '" + origin + "'");
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code routing.priority}, DISABLED when absent. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public RoutingPriority routingPriority() {
        return routing == null || routing.getPriority() == null ? RoutingPriority.DISABLED : routing.getPriority();
    }
}
