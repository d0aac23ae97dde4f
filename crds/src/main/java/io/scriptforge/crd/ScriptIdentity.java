package io.scriptforge.crd;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import java.util.UUID;

/** Derives a Script's stable UUID, so GitOps users can compute the URL before they apply. */
public final class ScriptIdentity {
    /** The canonical 8-4-4-4-12 hex form. */
    public static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final NameBasedGenerator URL_V5 = Generators.nameBasedGenerator(NameBasedGenerator.NAMESPACE_URL);

    private ScriptIdentity() {}

    /** UUID v5 in the URL namespace of {@code "<namespace>/<name>"}. */
    public static UUID nameBasedUuid(String namespace, String name) {
        return URL_V5.generate(namespace + "/" + name);
    }
}
