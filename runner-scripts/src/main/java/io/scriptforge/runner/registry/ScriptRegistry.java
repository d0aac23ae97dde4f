package io.scriptforge.runner.registry;

import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.SandboxHost.ModuleLookup;
import io.scriptforge.sandbox.ScriptCompiler;
import io.scriptforge.syntax.LocatedError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The Scripts a runner serves, by UUID and by namespace/name, whatever their source (a file in local
 * mode, a Script resource in cluster mode). Every source of Scripts calls {@link #replaceSource} with the whole set it now has.
 */
public final class ScriptRegistry {
    private static final Logger LOG = Logger.getLogger(ScriptRegistry.class);

    /** A Script as loaded: compiled and servable, or with the reason it is not. */
    public record Entry(
            String source,
            int line,
            String namespace,
            String name,
            String uuid,
            ScriptType type,
            CompiledScript compiled,
            String loadError,
            io.scriptforge.crd.RoutingPriority routing,
            io.scriptforge.crd.ScheduleSpec schedule,
            InvokeAccess access) {
        public String qualifiedName() {
            return namespace + "/" + name;
        }

        /** Where it was declared: file and line in local mode, the resource in cluster mode (line 0). */
        public String location() {
            return line > 0 ? source + ":" + line : source;
        }
    }

    /**
     * Who runs the registry's Scripts hears of each compiled one: to warm its contexts when it is loaded, and to
     * retire them when it is replaced or removed (running invocations finish on the code they started with).
     */
    public interface Lifecycle {
        void loaded(CompiledScript script);

        void retired(CompiledScript script);
    }

    private final ScriptCompiler compiler;
    private final List<Lifecycle> lifecycles = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Entry> byUuid = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<String, List<Entry>> bySource = new HashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ScriptRegistry(ScriptCompiler compiler) {
        this.compiler = compiler;
    }

    /** {@code lifecycle} hears of every Script compiled or retired from now on: register it before the first source loads. */
    public void onCompiled(Lifecycle lifecycle) {
        lifecycles.add(lifecycle);
    }

    public Optional<Entry> byUuid(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    /** The Script {@code "<namespace>/<name>"}, loaded or not. */
    public Optional<Entry> byName(String qualifiedName) {
        return Optional.ofNullable(byName.get(qualifiedName));
    }

    /** {@code listener} runs after every change of the set of Scripts, on the thread that changed it: keep it short. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public Collection<Entry> all() {
        List<Entry> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparing(Entry::qualifiedName));
        return all;
    }

    /** For require(): the Script {@code "<namespace>/<name>"}. */
    public ModuleLookup module(String qualifiedName) {
        Entry entry = byName.get(qualifiedName);
        if (entry == null) {
            return ModuleLookup.MISSING;
        }
        return entry.compiled() != null
                ? new ModuleLookup(entry.compiled(), null)
                : new ModuleLookup(null, entry.loadError());
    }

    /** A Script resource read from {@code source} at {@code line}, before compiling. */
    public record Declared(int line, Script script) {}

    /**
     * Makes {@code declared} the complete set of Scripts from {@code source}: new ones are compiled,
     * unchanged ones keep their warm contexts, vanished ones go.
     */
    public synchronized void replaceSource(String source, List<Declared> declared) {
        List<Entry> previous = bySource.getOrDefault(source, List.of());
        List<Entry> next = new ArrayList<>();
        for (Declared d : declared) {
            next.add(load(source, d));
        }
        // New entries first, then the old ones that are gone: a reload never leaves a gap in which
        // a Script that stays would answer 404.
        for (Entry entry : next) {
            add(entry);
            if (entry.compiled() != null) {
                CompiledScript compiled = entry.compiled();
                lifecycles.forEach(l -> l.loaded(compiled));
            }
        }
        for (Entry old : previous) {
            remove(old);
        }
        for (Entry old : previous) {
            if (old.compiled() != null && next.stream().noneMatch(e -> e.compiled() == old.compiled())) {
                lifecycles.forEach(l -> l.retired(old.compiled()));
            }
        }
        if (next.isEmpty()) {
            bySource.remove(source);
        } else {
            bySource.put(source, next);
        }
        listeners.forEach(Runnable::run);
    }

    private Entry load(String source, Declared declared) {
        Script script = declared.script();
        String namespace = script.getMetadata().getNamespace();
        String name = script.getMetadata().getName();
        ScriptType type = script.getSpec() == null || script.getSpec().getType() == null
                ? ScriptType.SCRIPT
                : script.getSpec().getType();
        String uuid = script.uuid();
        Entry owner = byUuid.get(uuid);
        if (owner != null
                && !owner.qualifiedName().equals(namespace + "/" + name)
                && !owner.source().equals(source)) {
            return failed(
                    source,
                    declared,
                    uuid,
                    type,
                    "uuid " + uuid + " is already used by Script " + owner.qualifiedName() + " (" + owner.source()
                            + "): give one of them another spec.uuid");
        }
        Entry twin = byName.get(namespace + "/" + name);
        if (twin != null && !twin.source().equals(source)) {
            return failed(
                    source,
                    declared,
                    uuid,
                    type,
                    "Script " + namespace + "/" + name + " is also declared in " + twin.source() + ": keep one");
        }
        io.scriptforge.crd.ScheduleSpec schedule = schedule(script);
        if (schedule != null && schedule.problem().isPresent()) {
            return failed(source, declared, uuid, type, schedule.problem().get());
        }
        Optional<String> accessProblem = InvokeAccess.problem(script);
        if (accessProblem.isPresent()) {
            return failed(source, declared, uuid, type, accessProblem.get());
        }
        try {
            CompiledScript compiled = compiler.compile(script);
            if (twin != null && compiled.sameDefinition(twin.compiled())) {
                compiled = twin.compiled(); // unchanged: keep its warm contexts
            }
            Entry entry = new Entry(
                    source,
                    declared.line(),
                    namespace,
                    name,
                    uuid,
                    type,
                    compiled,
                    null,
                    routing(script),
                    schedule(script),
                    InvokeAccess.of(script));
            LOG.infof("loaded Script %s (%s, uuid %s) from %s", entry.qualifiedName(), type.wireName(), uuid, source);
            return entry;
        } catch (LocatedError e) {
            return failed(source, declared, uuid, type, e.getMessage());
        } catch (RuntimeException e) {
            return failed(source, declared, uuid, type, "cannot be loaded: " + e);
        }
    }

    private static io.scriptforge.crd.ScheduleSpec schedule(Script script) {
        return script.getSpec() == null ? null : script.getSpec().getSchedule();
    }

    private static io.scriptforge.crd.RoutingPriority routing(Script script) {
        return script.getSpec() == null
                ? io.scriptforge.crd.RoutingPriority.DISABLED
                : script.getSpec().routingPriority();
    }

    /**
     * The Scripts of {@code namespace} marked {@code routing.priority: priority}, ordered by name (the
     * documented, stable order of a routing chain), loaded or not.
     */
    public List<Entry> routing(String namespace, io.scriptforge.crd.RoutingPriority priority) {
        return all().stream()
                .filter(e -> e.namespace().equals(namespace) && e.routing() == priority)
                .toList();
    }

    private Entry failed(String source, Declared declared, String uuid, ScriptType type, String problem) {
        String namespace = declared.script().getMetadata().getNamespace();
        String name = declared.script().getMetadata().getName();
        Entry entry = new Entry(
                source,
                declared.line(),
                namespace,
                name,
                uuid,
                type,
                null,
                problem,
                routing(declared.script()),
                schedule(declared.script()),
                InvokeAccess.OPEN);
        LOG.errorf("%s: Script %s not loaded: %s", entry.location(), entry.qualifiedName(), problem);
        return entry;
    }

    /** Indexes an entry, unless another source serves that name or UUID (the clash was reported in load()). */
    private void add(Entry entry) {
        byName.compute(entry.qualifiedName(), (name, current) -> keep(current, entry) ? current : entry);
        byUuid.compute(entry.uuid(), (uuid, current) -> keep(current, entry) ? current : entry);
    }

    private static boolean keep(Entry current, Entry candidate) {
        return current != null && !current.source().equals(candidate.source());
    }

    /** Removes this very entry (by identity: a reload makes an equal one that must stay). */
    private void remove(Entry entry) {
        byName.computeIfPresent(entry.qualifiedName(), (k, current) -> current == entry ? null : current);
        byUuid.computeIfPresent(entry.uuid(), (k, current) -> current == entry ? null : current);
    }
}
