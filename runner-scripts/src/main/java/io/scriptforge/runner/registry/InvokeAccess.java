package io.scriptforge.runner.registry;

import io.scriptforge.crd.KeyReference;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptAuth;
import io.scriptforge.crd.ScriptCors;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller must show to invoke a Script ({@code spec.auth}) and which web origins may do it from a browser
 * ({@code spec.cors}), as loaded.
 *
 * @param bearer        the Secret key whose value a caller sends as bearer token, or null
 * @param verb          the RBAC verb a caller's Kubernetes token needs on {@code scripts/<name>}, or null
 * @param allowOrigins  the origins (lower case) whose pages may call it
 */
public record InvokeAccess(KeyReference bearer, String verb, List<String> allowOrigins) {
    public static final InvokeAccess OPEN = new InvokeAccess(null, null, List.of());

    public InvokeAccess {
        allowOrigins = List.copyOf(allowOrigins);
    }

    static InvokeAccess of(Script script) {
        if (script.getSpec() == null) {
            return OPEN;
        }
        ScriptAuth auth = script.getSpec().getAuth();
        ScriptCors cors = script.getSpec().getCors();
        List<String> origins = cors == null || cors.getAllowOrigins() == null
                ? List.of()
                : cors.getAllowOrigins().stream()
                        .map(o -> o.toLowerCase(Locale.ROOT))
                        .toList();
        return new InvokeAccess(
                auth == null ? null : auth.getBearer(),
                auth == null || auth.getKubernetes() == null
                        ? null
                        : auth.getKubernetes().getVerb(),
                origins);
    }

    /** What is wrong with the Script's spec.auth and spec.cors (the operator says the same in its Ready condition). */
    static Optional<String> problem(Script script) {
        return script.getSpec() == null ? Optional.empty() : script.getSpec().accessProblem();
    }

    /** Whether a page of {@code origin} (an Origin header) may call the Script. */
    public boolean allowsOrigin(String origin) {
        return origin != null && allowOrigins.contains(origin.trim().toLowerCase(Locale.ROOT));
    }
}
