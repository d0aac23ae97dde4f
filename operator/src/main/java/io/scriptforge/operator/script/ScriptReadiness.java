package io.scriptforge.operator.script;

import io.scriptforge.crd.AllowedModules;
import io.scriptforge.crd.Names;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptStatus;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.operator.pool.resources.RunnerPoolNames;
import io.scriptforge.operator.status.Conditions;
import java.util.Optional;

/** Decides a Script's status from its spec and the facts around it: a pure function, tested as a table. */
final class ScriptReadiness {
    static final String READY = "Ready";
    static final String SYNTAX_ERROR = "SyntaxError";
    static final String MODULE_NOT_FOUND = "ModuleNotFound";
    static final String MODULE_NOT_AVAILABLE = "ModuleNotAvailable";
    static final String APP_NOT_FOUND = "AppNotFound";
    static final String POOL_NOT_FOUND = "PoolNotFound";
    static final String POOL_NOT_READY = "PoolNotReady";
    static final String INVALID_SCHEDULE = "InvalidSchedule";
    static final String INVALID_ACCESS = "InvalidAccess";

    private final Conditions conditions;

    ScriptReadiness(Conditions conditions) {
        this.conditions = conditions;
    }

    ScriptStatus status(Script script, ScriptFacts facts) {
        String namespace = script.getMetadata().getNamespace();
        ScriptSpec spec = script.getSpec();
        String pool = Names.poolOrDefault(spec.getPool());
        String uuid = script.uuid();
        ScriptStatus status = new ScriptStatus();
        status.setUuid(uuid);
        status.setPool(pool);
        status.setUrl(RunnerPoolNames.invokeUrl(namespace, pool, uuid));
        Verdict verdict = verdict(script, facts, namespace, pool);
        long generation = script.getMetadata().getGeneration() == null
                ? 0
                : script.getMetadata().getGeneration();
        Conditions.Marks marks = conditions.of(script.getStatus(), status, generation);
        if (verdict.ready()) {
            marks.markReady(verdict.reason(), verdict.message());
        } else {
            marks.markNotReady(verdict.reason(), verdict.message());
        }
        return status;
    }

    private Verdict verdict(Script script, ScriptFacts facts, String namespace, String pool) {
        if (facts.syntaxError().isPresent()) {
            return Verdict.no(
                    SYNTAX_ERROR, "spec.code: " + facts.syntaxError().get().getMessage());
        }
        ScriptSpec spec = script.getSpec();
        if (spec.getSchedule() != null && spec.getSchedule().problem().isPresent()) {
            return Verdict.no(INVALID_SCHEDULE, spec.getSchedule().problem().get());
        }
        Optional<String> access = spec.accessProblem();
        if (access.isPresent()) {
            return Verdict.no(INVALID_ACCESS, access.get());
        }
        for (String module : RequiredModules.of(spec.getCode())) {
            if (facts.scriptExists().test(module)) {
                continue;
            }
            if (AllowedModules.isAllowed(module)) {
                Optional<Verdict> unavailable = npmModule(module, spec);
                if (unavailable.isPresent()) {
                    return unavailable.get();
                }
                continue;
            }
            return Verdict.no(
                    MODULE_NOT_FOUND,
                    "spec.code requires '" + module + "', which is not a Script served by RunnerPool '" + pool
                            + "' in namespace " + namespace + ": create that Script (same pool) or fix the name");
        }
        if (spec.getApp() != null
                && !spec.getApp().isBlank()
                && !facts.appExists().test(spec.getApp())) {
            return Verdict.no(
                    APP_NOT_FOUND, "spec.app: no App named '" + spec.getApp() + "' in namespace " + namespace);
        }
        if (facts.pool().isEmpty()) {
            return Verdict.no(
                    POOL_NOT_FOUND,
                    "no RunnerPool named '" + pool + "' in namespace " + namespace
                            + ": create it (helm install creates 'default' in its namespace) or set spec.pool");
        }
        if (facts.pool().get().getStatus() == null
                || !facts.pool().get().getStatus().isReady()) {
            return Verdict.no(POOL_NOT_READY, "RunnerPool '" + pool + "' has no ready runner yet");
        }
        return new Verdict(
                true,
                READY,
                "served by RunnerPool '" + pool + "' at " + RunnerPoolNames.invokeUrl(namespace, pool, script.uuid()));
    }

    /** Runners bundle the allowed npm modules, for types app and worker, except those the sandbox cannot run. */
    private static Optional<Verdict> npmModule(String module, ScriptSpec spec) {
        ScriptType type = spec.getType() == null ? ScriptType.SCRIPT : spec.getType();
        if (!type.isAsync()) {
            return Optional.of(Verdict.no(
                    MODULE_NOT_AVAILABLE,
                    "spec.code requires '" + module + "': npm modules are for types app and worker,"
                            + " and this Script is type '" + type.wireName() + "': set spec.type to app"));
        }
        return AllowedModules.unavailableReason(module)
                .map(why -> Verdict.no(
                        MODULE_NOT_AVAILABLE,
                        "spec.code requires '" + module + "': an allowed npm module that runners cannot offer, as "
                                + why));
    }

    private record Verdict(boolean ready, String reason, String message) {
        static Verdict no(String reason, String message) {
            return new Verdict(false, reason, message);
        }
    }
}
