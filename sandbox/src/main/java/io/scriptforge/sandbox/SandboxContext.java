package io.scriptforge.sandbox;

import io.scriptforge.crd.AllowedModules;
import io.scriptforge.sandbox.bridge.HostBridge;
import io.scriptforge.sandbox.bridge.HostFailure;
import io.scriptforge.sandbox.bridge.Param;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
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
        Value loaded = context.eval(engine.runtimeSource()).execute(hostBridge(kernel), script.runtimeMeta(), kernel);
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

    /**
     * The {@code host} object of runtime.js: the only way out of the context. Each function is declared once; the
     * bridge checks the runtime's calls against the declarations and turns a {@link HostFailure} into the Error
     * the script sees.
     */
    private ProxyObject hostBridge(Value kernel) {
        Param<Integer> id = Param.integer("id");
        Param<String> name = Param.string("name");
        Param<String> algorithm = Param.string("algorithm");
        return new HostBridge("host", kernel)
                .procedure(
                        "log",
                        Param.string("level"),
                        Param.string("message"),
                        (level, message) -> host.log(this, level, message))
                .procedure(
                        "setTimer",
                        id,
                        Param.longInteger("delayMillis"),
                        (timer, delay) -> host.setTimer(this, timer, delay))
                .procedure("clearTimer", id, timer -> host.clearTimer(this, timer))
                .procedure("done", Param.string("invocationId"), Param.string("answer"), (invocation, encoded) -> {
                    if (invocation.equals(currentId)) { // a stale invocation never answers for the current one
                        answer = encoded;
                    }
                })
                .procedure("taint", () -> tainted = true)
                .function(
                        "kv",
                        Param.string("op"),
                        Param.optionalString("key"),
                        Param.optionalString("arg"),
                        Param.optionalLong("ttlMillis"),
                        (op, key, arg, ttl) -> host.kv(this, op, key, arg, ttl == null ? -1 : ttl))
                .function("jobs", Param.string("op"), Param.string("argsJson"), (op, args) -> host.jobs(this, op, args))
                .function("module", name, this::loadModule)
                .function("npm", name, this::loadNpm)
                .function(
                        "nodeShims",
                        () -> npmFactories.computeIfAbsent(
                                NpmBundles.NODE_SHIMS,
                                bundle -> context.eval(engine.npm().source(bundle))))
                .function(
                        "digest",
                        algorithm,
                        Param.string("dataBase64"),
                        (alg, data) -> base64(HostCrypto.digest(alg, bytes(data))))
                .function(
                        "hmac",
                        algorithm,
                        Param.string("keyBase64"),
                        Param.string("dataBase64"),
                        (alg, key, data) -> base64(HostCrypto.hmac(alg, bytes(key), bytes(data))))
                .function("random", Param.integer("count"), count -> base64(HostCrypto.random(count)))
                .procedure(
                        "httpRequest",
                        id,
                        Param.string("specJson"),
                        Param.optionalString("bodyBase64"),
                        (op, spec, body) -> host.httpRequest(this, op, spec, body))
                .procedure(
                        "socketConnect",
                        id,
                        Param.string("host"),
                        Param.integer("port"),
                        (op, to, port) -> host.socketConnect(this, op, to, port))
                .procedure(
                        "socketWrite",
                        id,
                        Param.optionalString("dataBase64"),
                        (op, data) -> host.socketWrite(this, op, data))
                .procedure("cancelOp", id, op -> host.cancelOp(this, op))
                .build();
    }

    private static byte[] bytes(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new HostFailure("crypto: the data is not base64: " + e.getMessage());
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
