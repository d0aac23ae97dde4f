package io.scriptforge.runner.invoke;

import io.scriptforge.runner.egress.HostHttp;
import io.scriptforge.runner.egress.HostSockets;
import io.scriptforge.runner.logs.ScriptLogs;
import io.scriptforge.sandbox.SandboxHost.ModuleLookup;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a script's globals reach, each behind an interface of its own: console lines, require, kv, jobs, and the
 * HTTP and TCP clients of its npm modules. The invoker only schedules invocations and carries these calls to them
 * (refusing them all in a warm-up).
 *
 * @param modules finds a Script by {@code "<namespace>/<name>"} for {@code require}
 */
public record ScriptServices(
        ScriptLogs logs,
        Function<String, ModuleLookup> modules,
        KvGlobal kv,
        JobsGlobal jobs,
        HostHttp http,
        HostSockets sockets) {
    public ScriptServices {
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(modules, "modules");
        Objects.requireNonNull(kv, "kv (KvGlobal.NONE for none)");
        Objects.requireNonNull(jobs, "jobs (JobsGlobal.NONE for none)");
        Objects.requireNonNull(http, "http (HostHttp.NONE for none)");
        Objects.requireNonNull(sockets, "sockets (HostSockets.NONE for none)");
    }

    /** Console lines and require only: kv and jobs refused, no network. */
    public static ScriptServices logsAndModules(ScriptLogs logs, Function<String, ModuleLookup> modules) {
        return new ScriptServices(logs, modules, KvGlobal.NONE, JobsGlobal.NONE, HostHttp.NONE, HostSockets.NONE);
    }

    public ScriptServices withKv(KvGlobal kv) {
        return new ScriptServices(logs, modules, kv, jobs, http, sockets);
    }

    public ScriptServices withNetwork(HostHttp http, HostSockets sockets) {
        return new ScriptServices(logs, modules, kv, jobs, http, sockets);
    }
}
