package io.scriptforge.runner.warmup;

import io.scriptforge.crd.ScriptType;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the warm-up invokes, in turn: the Scripts of the pool that a dry run cannot leave a trace in, each
 * with its own {@code spec.vars} (no body), or the built-in Script when the pool has none. Safe to use from
 * several threads.
 *
 * <p>Not both: what takes a warm-up long is compiling, and the built-in Script's many small functions are a
 * third of it (on 2 cores, 109 CPU seconds until settled with it in one turn of three, 72 without), for paths
 * the pool's own Scripts do not take. The paths they share (HTTP, JSON, the invoker, the Graal compiler
 * itself) are warmed by the pool's Scripts as well.
 */
final class WarmUpPlan {
    /**
     * Longest a warm-up invocation of a Script of the pool runs (less when its own timeout is shorter): room
     * for a first call on a cold, busy runner, while a runaway one holds a JavaScript thread no longer.
     */
    static final Duration POOL_SCRIPT_TIMEOUT = Duration.ofSeconds(10);
    /** A Script of the pool whose warm-up ran into its timeout this often is dropped: it would hold the lanes. */
    static final int TIMEOUTS_TO_DROP = 2;

    /**
     * One thing to invoke: {@code body} is null for a Script of the pool (its vars are its input);
     * {@code timeout} is how long its warm-up invocation may run.
     */
    record Target(String uuid, String name, boolean builtIn, String body, Duration timeout) {}

    private final ScriptRegistry.Entry builtIn;
    private final List<String> bodies;
    private final List<ScriptRegistry.Entry> pool = new ArrayList<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final Map<String, Integer> timeouts = new HashMap<>();
    private long turn;

    WarmUpPlan(ScriptRegistry.Entry builtIn, List<String> bodies, Collection<ScriptRegistry.Entry> scripts) {
        this.builtIn = builtIn;
        this.bodies = List.copyOf(bodies);
        for (ScriptRegistry.Entry entry : scripts) {
            Optional<String> reason = reasonToSkip(entry);
            if (reason.isPresent()) {
                skipped.put(entry.qualifiedName(), reason.get());
            } else {
                pool.add(entry);
            }
        }
    }

    /**
     * Why a Script of the pool is not warmed, if it is not. A worker's state lives on in the runner, so any
     * run of it is one its next invocation sees; an app's warm contexts keep their npm modules' state
     * between invocations, so a dry run could leave some behind. A type {@code script} starts every
     * invocation afresh (an ES module in a context of its own), so a dry run leaves nothing.
     */
    static Optional<String> reasonToSkip(ScriptRegistry.Entry entry) {
        if (entry.compiled() == null) {
            return Optional.of("not loaded");
        }
        if (entry.type() == ScriptType.WORKER) {
            return Optional.of("worker: its state persists between invocations");
        }
        if (entry.type() == ScriptType.APP) {
            return Optional.of("app: its contexts keep npm modules' state between invocations");
        }
        return Optional.empty();
    }

    synchronized Target next() {
        long n = turn++;
        if (pool.isEmpty()) {
            return new Target(
                    builtIn.uuid(),
                    builtIn.qualifiedName(),
                    true,
                    bodies.get((int) (n % bodies.size())),
                    builtIn.compiled().timeout());
        }
        ScriptRegistry.Entry entry = pool.get((int) (n % pool.size()));
        return new Target(entry.uuid(), entry.qualifiedName(), false, null, timeoutOf(entry.compiled()));
    }

    /** How long a warm-up invocation of a Script of the pool may run. */
    static Duration timeoutOf(CompiledScript script) {
        return script.timeout().compareTo(POOL_SCRIPT_TIMEOUT) < 0 ? script.timeout() : POOL_SCRIPT_TIMEOUT;
    }

    /**
     * A warm-up invocation of {@code target} ran into its timeout (it also lost its context): the second
     * time, a Script of the pool leaves the rotation. The built-in Script stays.
     */
    synchronized void timedOut(Target target) {
        if (target.builtIn() || timeouts.merge(target.uuid(), 1, Integer::sum) < TIMEOUTS_TO_DROP) {
            return;
        }
        if (pool.removeIf(e -> e.uuid().equals(target.uuid()))) {
            skipped.put(
                    target.name(),
                    "its warm-up invocations ran into its timeout ("
                            + target.timeout().toMillis() + " ms) " + TIMEOUTS_TO_DROP + " times");
        }
    }

    /** Scripts of the pool being warmed: those planned, less those dropped. */
    synchronized int warming() {
        return pool.size();
    }

    /** Scripts of the pool not warmed, or no longer, by name, with why. */
    synchronized Map<String, String> skipped() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }
}
