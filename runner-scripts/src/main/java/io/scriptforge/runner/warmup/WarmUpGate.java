package io.scriptforge.runner.warmup;

import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import io.scriptforge.sandbox.ScriptCompiler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Lets the warm-up's own requests through the real serving path, and nobody else's. A request is a
 * warm-up only while the warm-up runs, when it comes from this host and carries the secret the warm-up
 * drew for this process; only such a request reaches the built-in warm-up Script, or runs a Script of
 * the pool in dry mode. Anything else is an ordinary request, for which the built-in Script does not exist.
 */
public final class WarmUpGate {
    /** The request header that carries the secret. */
    public static final String HEADER = "X-ScriptForge-Warm-Up";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScriptRegistry.Entry builtIn;
    private volatile byte[] secret;

    WarmUpGate(ScriptRegistry.Entry builtIn) {
        this.builtIn = builtIn;
    }

    /**
     * A closed gate to the built-in warm-up Script, compiled here with a UUID of its own.
     *
     * @param timeout how long one of its invocations may run: as long as the warm-up may (its end abandons it)
     */
    public static WarmUpGate withBuiltInScript(ScriptCompiler compiler, Duration timeout) {
        return new WarmUpGate(WarmUpScript.compile(compiler, timeout));
    }

    /** Opens the gate with a new secret, which only the warm-up holds. */
    String open() {
        byte[] drawn = new byte[32];
        RANDOM.nextBytes(drawn);
        String text = HexFormat.of().formatHex(drawn);
        secret = text.getBytes(StandardCharsets.US_ASCII);
        return text;
    }

    /** From now on no request is a warm-up. */
    void close() {
        secret = null;
    }

    /** True for the warm-up's own requests: the gate is open, the secret matches, the caller is this host. */
    public boolean admits(HttpServerRequest request) {
        String presented = request.getHeader(HEADER);
        byte[] expected = secret;
        return presented != null
                && expected != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII))
                && fromThisHost(request.remoteAddress(), request.localAddress());
    }

    /** The built-in Script, for an admitted request that names its UUID. */
    public Optional<ScriptRegistry.Entry> builtIn(String uuid) {
        return builtIn.uuid().equals(uuid) ? Optional.of(builtIn) : Optional.empty();
    }

    /** How long a warm-up invocation of {@code script} may run: the built-in Script's own timeout, or less for the pool's. */
    public Duration timeoutOf(CompiledScript script) {
        return script == builtIn.compiled() ? script.timeout() : WarmUpPlan.timeoutOf(script);
    }

    ScriptRegistry.Entry builtIn() {
        return builtIn;
    }

    /** Loopback, or the very address the request arrived at (a server bound to one address). */
    private static boolean fromThisHost(SocketAddress remote, SocketAddress local) {
        String host = remote == null ? null : remote.hostAddress();
        if (host == null) {
            return false;
        }
        return host.startsWith("127.")
                || host.equals("0:0:0:0:0:0:0:1")
                || host.equals("::1")
                || (local != null && host.equals(local.hostAddress()));
    }
}
