package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scriptforge.crd.RunnerPool;
import java.util.Map;

/** Every name and label derived from a RunnerPool, in one place. */
public final class RunnerPoolNames {
    public static final String CONTAINER = "runner";
    public static final String HTTP_PORT_NAME = "http";
    public static final int HTTP_PORT = 8080;
    public static final int SERVICE_PORT = 80;
    public static final String MANAGED_BY = "scriptforge-operator";
    public static final String POOL_LABEL = "scriptforge.io/pool";
    /** Selects every object the operator owns, so its informers watch only those. */
    public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

    private RunnerPoolNames() {}

    /** The name of the Deployment, Service, HPA, PDB, ServiceAccount, Role and RoleBinding of a pool. */
    public static String objectName(String pool) {
        return "scriptforge-runner-" + pool;
    }

    public static String objectName(RunnerPool pool) {
        return objectName(pool.getMetadata().getName());
    }

    /** Labels that select the runner pods of a pool (never change: a Deployment's selector is immutable). */
    public static Map<String, String> selector(RunnerPool pool) {
        return Map.of(
                "app.kubernetes.io/name",
                "scriptforge-runner",
                "app.kubernetes.io/instance",
                pool.getMetadata().getName());
    }

    public static Map<String, String> labels(RunnerPool pool) {
        return Map.of(
                "app.kubernetes.io/name",
                "scriptforge-runner",
                "app.kubernetes.io/instance",
                pool.getMetadata().getName(),
                "app.kubernetes.io/component",
                "runner",
                "app.kubernetes.io/part-of",
                "scriptforge",
                "app.kubernetes.io/managed-by",
                MANAGED_BY,
                POOL_LABEL,
                pool.getMetadata().getName());
    }

    /** The metadata every object of a pool carries: its name, the pool's namespace, the pool's labels. */
    public static ObjectMeta metadata(RunnerPool pool) {
        return new ObjectMetaBuilder()
                .withName(objectName(pool))
                .withNamespace(pool.getMetadata().getNamespace())
                .withLabels(labels(pool))
                .build();
    }

    /** The in-cluster URL a Script of this pool is invoked at. */
    public static String invokeUrl(String namespace, String pool, String uuid) {
        return "http://" + objectName(pool) + "." + namespace + ".svc/v1/invoke/" + uuid;
    }
}
