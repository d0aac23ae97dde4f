package io.scriptforge.runner.sandbox;

/** What a sandbox may ask of its runner: the whole host surface a script can reach. */
public interface SandboxHost {
    /** A console line of the invocation running in {@code context}. */
    void log(SandboxContext context, String level, String message);

    /** Run the runtime's timer {@code id} in {@code context} after {@code delayMillis}. */
    void setTimer(SandboxContext context, int id, long delayMillis);

    void clearTimer(SandboxContext context, int id);

    /** The Script named {@code name} of the context's namespace, to be loaded as a module, if any. */
    ModuleLookup findModule(SandboxContext context, String name);

    /** Answer of {@link #findModule}: a script to load, a script that cannot load, or nothing. */
    record ModuleLookup(CompiledScript script, String loadError) {
        public static final ModuleLookup MISSING = new ModuleLookup(null, null);
    }
}
