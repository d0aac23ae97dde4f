package io.scriptforge.crd;

/** Patterns of the names resources refer to each other by. */
public final class Names {
    /** A DNS-1123 label: lowercase letters, digits and '-', as Kubernetes object names. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A Secret's or ConfigMap's name (a DNS subdomain) and one of its keys. */
    public static final String SECRET_NAME = "^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$";

    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";
    /** Longest RunnerPool name: "scriptforge-runner-" plus it must stay a 63-character Service name. */
    public static final int MAX_POOL_NAME = 44;
    /** The RunnerPool a resource uses when it names none. */
    public static final String DEFAULT_POOL = "default";

    private Names() {}

    public static String poolOrDefault(String pool) {
        return pool == null || pool.isBlank() ? DEFAULT_POOL : pool;
    }
}
