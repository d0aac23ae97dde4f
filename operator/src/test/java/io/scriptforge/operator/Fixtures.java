package io.scriptforge.operator;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Resources written as the YAML a user would apply, so tests read like the manifests they describe. */
public final class Fixtures {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Fixtures() {}

    public static <T> T parse(Class<T> type, String yaml) {
        return YAML.unmarshal(yaml, type);
    }
}
