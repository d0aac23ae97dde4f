package io.scriptforge.runner.app;

import io.scriptforge.crd.KeyReference;
import java.util.Optional;

/**
 * Where an App's Secret and ConfigMap come from: the YAML directory in local mode, the Kubernetes API
 * in cluster mode.
 */
public interface AppInputs {
    /** A Secret key's value (decoded), or empty when the Secret or the key is missing. */
    Optional<String> secret(String namespace, KeyReference ref);

    /** A ConfigMap's binary key (decoded), or empty when the ConfigMap or the key is missing. */
    Optional<byte[]> configMapBinary(String namespace, KeyReference ref);
}
