package io.scriptforge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.DurationString;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptSpec;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.crd.SipStatus;
import io.scriptforge.syntax.JsSyntax;
import io.scriptforge.syntax.LocatedError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Source;

/** Turns a Script resource into a {@link CompiledScript}, or says precisely why it cannot run. */
public final class ScriptCompiler {
    /** On the code's first line, so line numbers in errors stay those of the user's code. */
    static final String PREFIX = "(function (exports, require, module, __filename, __dirname) {";

    private static final String SUFFIX = "\n;return typeof main === 'function' ? main : undefined;\n})";
    static final String MODULE_MIME = JsSyntax.MODULE_MIME;
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final JsEngine engine;
    private final ObjectMapper json;
    private final String execHost;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;
    private final JsSyntax syntax;

    public ScriptCompiler(
            JsEngine engine, ObjectMapper json, String execHost, Duration defaultTimeout, Duration maxTimeout) {
        this.engine = engine;
        this.json = json;
        this.execHost = execHost;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
        this.syntax = new JsSyntax(engine.newContext());
    }

    public CompiledScript compile(Script script) throws LocatedError {
        String namespace = script.getMetadata().getNamespace();
        String name = script.getMetadata().getName();
        ScriptSpec spec = script.getSpec();
        if (spec == null) {
            throw new LocatedError("spec is missing: a Script needs at least spec.code");
        }
        if (spec.getCode() == null || spec.getCode().isBlank()) {
            throw new LocatedError("spec.code is empty: give the JavaScript source, with a function main(data, ctx)");
        }
        ScriptType type = spec.getType() == null ? ScriptType.SCRIPT : spec.getType();
        Duration timeout = timeout(spec);
        SipStatus timeoutAction =
                spec.getTimeoutAction() == null ? SipStatus.GATEWAY_TIMEOUT : parseStatus(spec.getTimeoutAction());
        if (spec.getUuid() != null && !CANONICAL_UUID.matcher(spec.getUuid()).matches()) {
            throw new LocatedError("spec.uuid '" + spec.getUuid()
                    + "' is not a UUID: use the 8-4-4-4-12 hex form, or leave it out for the name-based one");
        }
        String uuid = script.uuid();
        boolean esModule = checkSyntax(spec.getCode(), namespace, name);
        Source moduleSource = esModule
                ? Source.newBuilder("js", spec.getCode(), name + ".mjs")
                        .mimeType(MODULE_MIME)
                        .cached(true)
                        .buildLiteral()
                : Source.newBuilder("js", PREFIX + spec.getCode() + SUFFIX, CompiledScript.fileName(namespace, name))
                        .cached(true)
                        .buildLiteral();
        return new CompiledScript(
                namespace,
                name,
                uuid,
                type,
                sha256(spec.getCode()),
                spec.getCode(),
                esModule,
                moduleSource,
                toJson(spec.getVars(), "spec.vars"),
                runtimeMeta(script, type, uuid, esModule),
                timeout,
                timeoutAction,
                new java.util.concurrent.atomic.AtomicBoolean());
    }

    private Duration timeout(ScriptSpec spec) throws LocatedError {
        if (spec.getTimeout() == null) {
            return defaultTimeout;
        }
        try {
            Duration timeout = DurationString.parse(spec.getTimeout());
            if (timeout.isZero() || timeout.compareTo(maxTimeout) > 0) {
                throw new LocatedError("spec.timeout " + spec.getTimeout()
                        + " is out of range: use more than 0 and at most " + maxTimeout.toSeconds() + "s");
            }
            return timeout;
        } catch (IllegalArgumentException e) {
            throw new LocatedError("spec.timeout: " + e.getMessage());
        }
    }

    private static SipStatus parseStatus(String text) throws LocatedError {
        try {
            return SipStatus.parse(text);
        } catch (IllegalArgumentException e) {
            throw new LocatedError("spec.timeoutAction: " + e.getMessage());
        }
    }

    /** @return true when the code is an ES module (it uses import/export) */
    private boolean checkSyntax(String code, String namespace, String name) throws LocatedError {
        return syntax.check(code, CompiledScript.fileName(namespace, name)) == JsSyntax.SourceKind.ES_MODULE;
    }

    private String runtimeMeta(Script script, ScriptType type, String uuid, boolean esModule) throws LocatedError {
        ScriptSpec spec = script.getSpec();
        Map<String, String> env = new LinkedHashMap<>();
        if (spec.getEnv() != null) {
            for (Map.Entry<String, String> e : spec.getEnv().entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new LocatedError("spec.env." + e.getKey()
                            + ": not a valid variable name (letters, digits and _, not starting with a digit)");
                }
                env.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        String uid = script.getMetadata().getUid();
        env.put(
                "SCRIPTFORGE_ID",
                uid != null
                        ? uid
                        : script.getMetadata().getNamespace() + "/"
                                + script.getMetadata().getName());
        env.put("SCRIPTFORGE_UUID", uuid);
        env.put("SCRIPTFORGE_NAME", script.getMetadata().getName());
        env.put("APP_ID", spec.getApp() == null ? "" : spec.getApp());
        env.put("EXEC_HOST", execHost);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("namespace", script.getMetadata().getNamespace());
        meta.put("name", script.getMetadata().getName());
        meta.put("async", type.isAsync());
        meta.put("keepsState", type.keepsState());
        meta.put("prefixLength", esModule ? 0 : PREFIX.length());
        meta.put("esModule", esModule);
        // A context used once needs no lockdown nor reset: it is thrown away after the invocation.
        meta.put("singleUse", esModule && !type.keepsState());
        meta.put("env", env);
        return toJson(meta, "metadata");
    }

    private String toJson(Object value, String what) throws LocatedError {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new LocatedError(what + " cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    static String sha256(String code) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
