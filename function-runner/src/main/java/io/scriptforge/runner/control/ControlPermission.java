package io.scriptforge.runner.control;

/**
 * What a control call does, as a Kubernetes authorization attribute of the {@code scriptforge.io} group: the
 * verb on a resource (and subresource), in the namespace of the Script or App it touches. The chart's
 * aggregated roles grant these (view: reading; edit: cancelling and enqueuing).
 */
public record ControlPermission(String verb, String resource, String subresource, String name) {
    public ControlPermission(String verb, String resource, String subresource) {
        this(verb, resource, subresource, "");
    }

    /** {@code spec.auth.kubernetes}: the Script's verb on that one Script (RBAC resourceNames). */
    public static ControlPermission onScript(String verb, String script) {
        return new ControlPermission(verb, "scripts", "", script);
    }

    public static final ControlPermission LIST_SCRIPTS = new ControlPermission("list", "scripts", "");
    public static final ControlPermission READ_LOGS = new ControlPermission("get", "scripts", "logs");
    public static final ControlPermission LIST_INVOCATIONS = new ControlPermission("list", "scripts", "invocations");
    public static final ControlPermission CANCEL_INVOCATION = new ControlPermission("delete", "scripts", "invocations");
    public static final ControlPermission ENQUEUE_JOB = new ControlPermission("create", "scripts", "jobs");
    public static final ControlPermission READ_JOB = new ControlPermission("get", "scripts", "jobs");
    public static final ControlPermission LIST_JOBS = new ControlPermission("list", "scripts", "jobs");
    public static final ControlPermission CANCEL_JOB = new ControlPermission("delete", "scripts", "jobs");
    public static final ControlPermission LIST_SCHEDULES = new ControlPermission("list", "scripts", "schedules");
    public static final ControlPermission LIST_APPS = new ControlPermission("list", "apps", "");

    /** As RBAC rules name it: {@code get scripts/logs}, {@code invoke scripts named hook}. */
    public String describe() {
        return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource)
                + (name.isEmpty() ? "" : " named " + name);
    }
}
