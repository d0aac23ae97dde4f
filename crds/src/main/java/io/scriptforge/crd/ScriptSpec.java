package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.JsonNode;
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
@ValidationRule(value = "!has(self.modules) || size(self.modules) == 0 || (has(self.type) && self.type != 'script')",
        message = "spec.modules: a Script of type script may not use modules; use type app or worker", fieldPath = ".modules")
@ValidationRule(value = "!has(self.modules) || self.modules.all(m, m in " + AllowedModules.CEL_LIST + ")",
        message = "spec.modules: only these npm modules are allowed: " + AllowedModules.CEL_LIST, fieldPath = ".modules")
@ValidationRule(value = "!has(self.env) || self.env.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))",
        message = "spec.env: variable names are letters, digits and _, not starting with a digit", fieldPath = ".env")
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

    public ScriptType getType() { return type; }
    public void setType(ScriptType type) { this.type = type; }
    public String getCode() { return code; }
    public void setCode(String code) { this.code = code; }
    /** Default input: the seed's "Set Vars"; any JSON value. */
    public JsonNode getVars() { return vars; }
    public void setVars(JsonNode vars) { this.vars = vars; }
    /** Duration string such as 500ms, 2s, 1m. */
    public String getTimeout() { return timeout; }
    public void setTimeout(String timeout) { this.timeout = timeout; }
    /** "NNN Reason" answered when the invocation times out. */
    public String getTimeoutAction() { return timeoutAction; }
    public void setTimeoutAction(String timeoutAction) { this.timeoutAction = timeoutAction; }
    public String getUuid() { return uuid; }
    public void setUuid(String uuid) { this.uuid = uuid; }
    /** Extra process.env entries. */
    public Map<String, String> getEnv() { return env; }
    public void setEnv(Map<String, String> env) { this.env = env; }
    /** The App this script belongs to (process.env.APP_ID). */
    public String getApp() { return app; }
    public void setApp(String app) { this.app = app; }
    /** The RunnerPool of this namespace that serves the script; empty means "default". */
    public String getPool() { return pool; }
    public void setPool(String pool) { this.pool = pool; }
    /** npm modules from the allowlist the code requires (app and worker types only). */
    public List<String> getModules() { return modules; }
    public void setModules(List<String> modules) { this.modules = modules; }
    /** The Global Routing Priority; absent means disabled. */
    public ScriptRouting getRouting() { return routing; }
    public void setRouting(ScriptRouting routing) { this.routing = routing; }
    /** When the platform runs the script by itself (cron), once per tick for the whole cluster; absent: never. */
    public ScheduleSpec getSchedule() { return schedule; }
    public void setSchedule(ScheduleSpec schedule) { this.schedule = schedule; }
    /** {@code routing.priority}, DISABLED when absent. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public RoutingPriority routingPriority() {
        return routing == null || routing.getPriority() == null ? RoutingPriority.DISABLED : routing.getPriority();
    }
}
