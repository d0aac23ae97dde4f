package io.scriptforge.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

/**
 * The one GraalJS engine of a runner: every context shares it, so code compiled for one script's
 * context is reused by the next. Contexts are built here with the deny-by-default options.
 */
public final class JsEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JsEngine.class);
    /** The name Truffle gives its interpreter-only runtime: never acceptable in production. */
    public static final String FALLBACK_RUNTIME = "Interpreted";

    private final Engine engine;
    private final Source runtimeSource;
    private final Source kernelSource;
    private final NpmBundles npm = new NpmBundles();

    public JsEngine() {
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.runtimeSource = Source.newBuilder("js", resource("scriptforge/runtime.js"), "scriptforge-runtime.js")
                .internal(true)
                .cached(true)
                .buildLiteral();
        this.kernelSource = Source.newBuilder(
                        "js", resource("scriptforge/sandbox-kernel.js"), "scriptforge-sandbox-kernel.js")
                .internal(true)
                .cached(true)
                .buildLiteral();
        LOG.infof(
                "GraalJS %s on %s runtime '%s' (%s)",
                engine.getVersion(),
                System.getProperty("java.vm.name"),
                runtimeName(),
                isOptimizing() ? "optimizing JIT" : "INTERPRETER ONLY: JavaScript runs ~25x slower, see README");
    }

    /** The Truffle runtime in use, e.g. "Graal JIT"-like names, or {@value #FALLBACK_RUNTIME}. */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    public boolean isOptimizing() {
        return !FALLBACK_RUNTIME.equals(runtimeName());
    }

    /** A new deny-by-default context on the shared engine: no host access, IO, threads, process or native code. */
    public Context newContext() {
        return builder().build();
    }

    /** The same, with {@code modules} as the only file system: what ES module imports can read. */
    public Context newContext(org.graalvm.polyglot.io.FileSystem modules) {
        return builder()
                .allowIO(IOAccess.newBuilder().fileSystem(modules).build())
                .build();
    }

    private Context.Builder builder() {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .options(CONTEXT_OPTIONS);
    }

    /** The npm modules bundled with this runner, parsed once for every context of the engine. */
    NpmBundles npm() {
        return npm;
    }

    Source runtimeSource() {
        return runtimeSource;
    }

    /**
     * Runs the sandbox kernel (sandbox-kernel.js) in {@code context}: removes the globals no sandbox offers and
     * returns what every library is built on, its lockdown first (a library's third argument). Call it before any
     * other code of the context.
     */
    public Value sandboxKernel(Context context) {
        return context.eval(kernelSource).execute();
    }

    /** Options that remove what GraalJS offers beyond ECMAScript: the global surface is only what the runtime adds. */
    private static final Map<String, String> CONTEXT_OPTIONS = Map.of(
            "js.load", "false",
            "js.print", "false",
            "js.graal-builtin", "false",
            "js.console", "false",
            "js.unhandled-rejections", "none",
            "js.esm-eval-returns-exports", "true");

    private static String resource(String path) {
        try (InputStream in = JsEngine.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }

    /** Shuts the engine down, stopping any JavaScript still running. */
    @Override
    public void close() {
        engine.close(true);
    }
}
