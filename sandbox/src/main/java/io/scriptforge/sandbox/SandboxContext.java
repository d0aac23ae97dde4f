package io.scriptforge.sandbox;

import io.scriptforge.crd.AllowedModules;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One GraalJS context running one script, with the runtime loaded. Used by one invocation at a
 * time, on one thread at a time: the invoker guarantees both.
 */
public final class SandboxContext {
    private final CompiledScript script;
    private final JsEngine engine;
    private final SandboxHost host;
    private final Map<String, Value> moduleFactories = new HashMap<>();
    private final Map<String, Value> npmFactories = new HashMap<>();
    private volatile Context context;
    private Value runtime;
    private boolean moduleEvaluated;
    private Value invoke;
    private Value fireTimer;
    private Value completeOp;
    private Value finish;
    private volatile String answer;
    private volatile String currentId;
    private volatile Object owner;
    private volatile boolean tainted;
    private volatile boolean dead;

    public SandboxContext(CompiledScript script, JsEngine engine, SandboxHost host) {
        this.script = script;
        this.engine = engine;
        this.host = host;
    }

    public CompiledScript script() {
        return script;
    }

    /**
     * Builds the context, locked down, with the script compiled: everything that runs none of the script's code
     * (an ES module's body runs at its first invocation, under that invocation's deadline). On a JavaScript thread,
     * never on the gateway: at the first invocation, or ahead of it (a warm-up).
     */
    public void open() {
        if (runtime != null) {
            return;
        }
        if (context != null) {
            throw new IllegalStateException(
                    "the context of " + script.qualifiedName() + " failed to open before: it cannot serve");
        }
        context = script.esModule()
                ? engine.newContext(new ScriptModuleFileSystem(this::moduleScript, this::npmModuleSource))
                : engine.newContext();
        Value kernel = engine.sandboxKernel(context);
        Value loaded = context.eval(engine.runtimeSource()).execute(hostBridge(), script.runtimeMeta(), kernel);
        if (!script.esModule()) {
            loaded.getMember("setFactory").execute(context.eval(script.moduleSource()));
        }
        invoke = loaded.getMember("invoke");
        fireTimer = loaded.getMember("fireTimer");
        completeOp = loaded.getMember("completeOp");
        finish = loaded.getMember("finish");
        runtime = loaded;
    }

    /**
     * Starts an invocation. Returns its encoded answer when main settled during the call, or null
     * when it is still pending on timers.
     */
    public String invoke(Object owner, String id, String bodyJson, String ctxJson) {
        this.owner = owner;
        this.currentId = id;
        this.answer = null;
        open();
        if (script.esModule() && !moduleEvaluated) {
            moduleEvaluated = true;
            runtime.getMember("setModule").execute(context.eval(script.moduleSource()));
        }
        invoke.executeVoid(id, script.varsJson(), bodyJson, ctxJson);
        return answer;
    }

    /** Runs a due timer of the pending invocation; returns its answer if that settled it. */
    public String fireTimer(int id) {
        fireTimer.executeVoid(id);
        return answer;
    }

    /**
     * Delivers the outcome of host operation {@code id} (an HTTP request) to the pending invocation;
     * returns its answer if that settled it.
     *
     * @param errorJson {@code {"message", "code"}} when the operation failed, else null
     * @param answerJson the operation's result as JSON, else null
     * @param last false when more outcomes follow (a connection's events), true for the final one
     */
    public String completeOp(int id, String errorJson, String answerJson, boolean last) {
        completeOp.executeVoid(id, errorJson, answerJson, last);
        return answer;
    }

    /**
     * After every invocation, once none of its JavaScript can run any more: ends it in the runtime
     * if it did not settle, and resets the globals it left (fresh-state types).
     */
    public void finish() {
        if (finish != null) {
            finish.executeVoid();
        }
    }

    /** The invocation that holds this context now (set by the invoker). */
    public Object owner() {
        return owner;
    }

    /** True when the last invocation left state the runtime could not reset: the context must not be reused. */
    public boolean tainted() {
        return tainted;
    }

    /** Marks the context as never to be reused (it is about to be cancelled). */
    public void markDead() {
        dead = true;
    }

    public boolean dead() {
        return dead;
    }

    /** Stops whatever runs in the context and closes it; safe from any thread. */
    public void cancel() {
        dead = true;
        close();
    }

    public void close() {
        Context c = context;
        if (c != null) {
            try {
                c.close(true);
            } catch (RuntimeException ignored) {
                // already closed or closing: nothing left to release
            }
        }
    }

    private CompiledScript moduleScript(String name) {
        if (name.equals(script.name())) {
            return script;
        }
        return host.findModule(this, name).script();
    }

    /** False once the context served an invocation it may not outlive (an ES module of a fresh-state type). */
    public boolean reusable() {
        return script.reusesContexts() && !tainted && !dead;
    }

    private Object loadModule(String name) {
        SandboxHost.ModuleLookup found = host.findModule(this, name);
        if (found.loadError() != null) {
            return found.loadError();
        }
        if (found.script() == null) {
            return null;
        }
        CompiledScript module = found.script();
        if (module.esModule()) {
            return "'" + name
                    + "' is an ES module: import it from an ES module, or write it as CommonJS (module.exports)";
        }
        return moduleFactories.computeIfAbsent(
                module.name() + "@" + module.codeHash(), k -> context.eval(module.moduleSource()));
    }

    /**
     * A whitelisted npm module's bundle, evaluated once per context (the runtime calls it once);
     * null for a name that is not whitelisted, a message for one the sandbox cannot offer.
     */
    private Object loadNpm(String name) {
        Optional<String> bundle = AllowedModules.bundleOf(name);
        if (bundle.isEmpty() || !script.type().isAsync()) {
            return null;
        }
        Optional<String> unavailable = AllowedModules.unavailableReason(name);
        if (unavailable.isPresent()) {
            return "module not available: '" + name + "' is whitelisted, but cannot run in the ScriptForge sandbox: "
                    + unavailable.get();
        }
        return npmFactories.computeIfAbsent(
                bundle.get(), id -> context.eval(engine.npm().source(id)));
    }

    /**
     * {@code import x from 'moment'} in an ES module Script of type app or worker: a module whose default
     * export is what {@code require('moment')} gives (the runtime's npm loader, reached by a registered symbol).
     */
    private String npmModuleSource(String name) {
        if (AllowedModules.bundleOf(name).isEmpty() || !script.type().isAsync()) {
            return null;
        }
        return "export default globalThis[Symbol.for('scriptforge.npm')]('" + name + "');\n";
    }

    /** Runs a host computation for the shims: {@code "V" + value}, or {@code "E" + message} the runtime throws. */
    private static String tagged(java.util.function.Supplier<String> computation) {
        try {
            return "V" + computation.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "E" + e.getMessage();
        }
    }

    private ProxyObject hostBridge() {
        Map<String, Object> members = new HashMap<>();
        members.put("log", (ProxyExecutable) args -> {
            host.log(this, args[0].asString(), args[1].asString());
            return null;
        });
        members.put("setTimer", (ProxyExecutable) args -> {
            host.setTimer(this, args[0].asInt(), (long) args[1].asDouble());
            return null;
        });
        members.put("clearTimer", (ProxyExecutable) args -> {
            host.clearTimer(this, args[0].asInt());
            return null;
        });
        members.put("done", (ProxyExecutable) args -> {
            if (args[0].asString().equals(currentId)) { // a stale invocation never answers for the current one
                answer = args[1].asString();
            }
            return null;
        });
        members.put("taint", (ProxyExecutable) args -> {
            tainted = true;
            return null;
        });
        members.put("kv", (ProxyExecutable) args -> host.kv(
                this,
                args[0].asString(),
                args[1].isNull() ? null : args[1].asString(),
                args[2].isNull() ? null : args[2].asString(),
                args[3].isNull() ? -1 : (long) args[3].asDouble()));
        members.put("jobs", (ProxyExecutable) args -> host.jobs(this, args[0].asString(), args[1].asString()));
        members.put("module", (ProxyExecutable) args -> loadModule(args[0].asString()));
        members.put("npm", (ProxyExecutable) args -> loadNpm(args[0].asString()));
        members.put("nodeShims", (ProxyExecutable) args -> npmFactories.computeIfAbsent(
                NpmBundles.NODE_SHIMS, id -> context.eval(engine.npm().source(id))));
        members.put("digest", (ProxyExecutable)
                args -> tagged(() -> HostCrypto.digest(args[0].asString(), args[1].asString())));
        members.put("hmac", (ProxyExecutable)
                args -> tagged(() -> HostCrypto.hmac(args[0].asString(), args[1].asString(), args[2].asString())));
        members.put("random", (ProxyExecutable) args -> tagged(() -> HostCrypto.random(args[0].asInt())));
        members.put("httpRequest", (ProxyExecutable) args -> {
            host.httpRequest(this, args[0].asInt(), args[1].asString(), args[2].asString());
            return null;
        });
        members.put("socketConnect", (ProxyExecutable) args -> {
            host.socketConnect(this, args[0].asInt(), args[1].asString(), args[2].asInt());
            return null;
        });
        members.put("socketWrite", (ProxyExecutable) args -> {
            host.socketWrite(this, args[0].asInt(), args[1].isNull() ? null : args[1].asString());
            return null;
        });
        members.put("cancelOp", (ProxyExecutable) args -> {
            host.cancelOp(this, args[0].asInt());
            return null;
        });
        return ProxyObject.fromMap(members);
    }
}
