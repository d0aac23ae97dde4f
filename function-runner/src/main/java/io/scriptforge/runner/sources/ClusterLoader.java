package io.scriptforge.runner.sources;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scriptforge.crd.Names;
import io.scriptforge.crd.Script;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.registry.ScriptRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Cluster mode: serves the Scripts of one RunnerPool in one namespace, followed by an informer (one
 * list, then a watch: a {@code kubectl apply} takes effect as soon as the API server reports it).
 * It needs get/list/watch on scripts in that namespace, nothing cluster-scoped. Each Script is its
 * own source in the registry, so a broken one is reported and served exactly as a broken file is in
 * local mode. Owns the client: {@link #close()} stops the informer and closes it.
 */
public final class ClusterLoader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterLoader.class);
    /** Where a pod finds its own namespace. */
    public static final Path POD_NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private static final Duration SLOW_FIRST_LIST = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final String namespace;
    private final String pool;
    private final ScriptRegistry registry;
    /** What the registry was last given, per namespace/name: only a change of it is compiled again. */
    private final Map<String, Loaded> loaded = new HashMap<>();

    private SharedIndexInformer<Script> informer;
    private final ClusterApps apps;

    private record Loaded(String uid, Long generation, String spec) {}

    public ClusterLoader(
            KubernetesClient client, String namespace, String pool, ScriptRegistry registry, AppRegistry apps) {
        this.client = client;
        this.namespace = namespace;
        this.pool = pool;
        this.registry = registry;
        this.apps = new ClusterApps(client, namespace, pool, apps);
    }

    /**
     * The namespace to watch: the configured one, else the pod's own, else the kubeconfig's current
     * one (the client's, {@code default} when the context names none, as kubectl does).
     */
    public static String namespace(Optional<String> configured, Path podNamespaceFile, String clientNamespace) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().trim();
        }
        try {
            if (Files.isReadable(podNamespaceFile)) {
                String own = Files.readString(podNamespaceFile).trim();
                if (!own.isEmpty()) {
                    return own;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot read %s (%s): using the kubeconfig's namespace", podNamespaceFile, e.getMessage());
        }
        return clientNamespace == null || clientNamespace.isBlank() ? "default" : clientNamespace;
    }

    /** Lists and starts watching; the stage completes once every Script of the first list is in the registry. */
    /** Publishes a Script's last and next tick in its status.schedule (the pool's Role may patch scripts/status). */
    public void reportSchedule(String scriptNamespace, String name, io.scriptforge.crd.ScheduleStatus status) {
        try {
            String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("schedule", status)));
            client.resources(Script.class)
                    .inNamespace(scriptNamespace)
                    .withName(name)
                    .subresource("status")
                    .patch(
                            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            patch);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot report Script %s/%s's last tick in its status (%s): the runner needs patch on scripts/status in its namespace",
                    scriptNamespace, name, e.getMessage());
        }
    }

    /** The namespace's Secrets and ConfigMaps, as this loader's client reads them. */
    public io.scriptforge.runner.app.AppInputs inputs() {
        return apps;
    }

    public synchronized CompletionStage<Void> start() {
        // The informer's own start() may complete before its handlers have seen the list (it can start
        // watching at once on a cached list): onList comes after the list's last onAdd.
        informer = client.resources(Script.class)
                .inNamespace(namespace)
                .runnableInformer(0); // no resync: nothing to catch up on
        informer.exceptionHandler(this::retryAfter);
        CompletableFuture<Void> listServed = follow(informer, this::apply, script -> forget(key(script), "deleted"));
        LOG.infof(
                "cluster mode: serving the Scripts of pool %s in namespace %s from %s",
                pool, namespace, client.getMasterUrl());
        CompletableFuture<Void> synced = CompletableFuture.allOf(
                informer.start().toCompletableFuture(),
                listServed,
                apps.start(this::retryAfter).toCompletableFuture());
        // The client retries an unreachable server for a while before it reports anything: say why the runner is not
        // ready.
        CompletableFuture.delayedExecutor(SLOW_FIRST_LIST.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!synced.isDone()) {
                        LOG.warnf(
                                "no list of Scripts yet from %s (namespace %s) after %d s: not ready until the API server answers",
                                client.getMasterUrl(), namespace, SLOW_FIRST_LIST.toSeconds());
                    }
                });
        return synced;
    }

    /**
     * Calls {@code applied} for every added or changed resource and {@code deleted} for every removed
     * one; the future completes once the informer's first list has been handed over (onList comes after
     * the list's last onAdd), which the informer's own start() may precede.
     */
    static <T> CompletableFuture<Void> follow(
            SharedIndexInformer<T> informer,
            java.util.function.Consumer<T> applied,
            java.util.function.Consumer<T> deleted) {
        CompletableFuture<Void> listServed = new CompletableFuture<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onList(String resourceVersion, boolean remainedEmpty) {
                listServed.complete(null);
            }

            @Override
            public void onAdd(T resource) {
                applied.accept(resource);
            }

            @Override
            public void onUpdate(T previous, T resource) {
                applied.accept(resource);
            }

            @Override
            public void onDelete(T resource, boolean finalStateUnknown) {
                deleted.accept(resource);
            }
        });
        return listServed;
    }

    /** Added or changed: compiled again only when the code-relevant part changed, never on a relist or a status write. */
    private synchronized void apply(Script script) {
        String key = key(script);
        String itsPool = Names.poolOrDefault(
                script.getSpec() == null ? null : script.getSpec().getPool());
        if (!pool.equals(itsPool)) {
            forget(key, "moved to pool " + itsPool);
            return;
        }
        Loaded previous = loaded.get(key);
        String uid = script.getMetadata().getUid();
        Long generation = script.getMetadata().getGeneration();
        boolean sameObject = previous != null && Objects.equals(previous.uid(), uid);
        if (sameObject && generation != null && generation.equals(previous.generation())) {
            return;
        }
        String spec = client.getKubernetesSerialization().asJson(script.getSpec());
        loaded.put(key, new Loaded(uid, generation, spec));
        if (sameObject && spec.equals(previous.spec())) {
            return;
        }
        registry.replaceSource(source(key), List.of(new ScriptRegistry.Declared(0, script)));
    }

    private synchronized void forget(String key, String why) {
        if (loaded.remove(key) != null) {
            registry.replaceSource(source(key), List.of());
            LOG.infof("Script %s %s: no longer served by pool %s", key, why, pool);
        }
    }

    /** Retries whatever the API server answers (a Role granted late, a restarted server), not a model mismatch. */
    private boolean retryAfter(boolean started, Throwable failure) {
        if (ExceptionHandler.isDeserializationException(failure)) {
            LOG.errorf(
                    failure,
                    "cannot read the ScriptForge resources of namespace %s: does the installed CRD match this runner's version? Not retrying",
                    namespace);
            return false;
        }
        LOG.errorf(
                "%s the Scripts or Apps of namespace %s: %s; retrying",
                started ? "lost the watch of" : "cannot list", namespace, describe(failure));
        return true;
    }

    /** The API server's own message, and what to do when it is a matter of permissions. */
    private String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                String message = k.getStatus() != null && k.getStatus().getMessage() != null
                        ? k.getStatus().getMessage()
                        : k.getMessage();
                String hint = k.getCode() == 401 || k.getCode() == 403
                        ? ": the runner needs get, list and watch on scripts.scriptforge.io and apps.scriptforge.io in namespace "
                                + namespace + " (a Role bound to its service account)"
                        : "";
                return message + " (HTTP " + k.getCode() + ")" + hint;
            }
        }
        return String.valueOf(failure.getCause() != null ? failure.getCause() : failure);
    }

    private static String key(Script script) {
        return script.getMetadata().getNamespace() + "/" + script.getMetadata().getName();
    }

    private static String source(String key) {
        return "kubernetes:" + key;
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.stop();
        }
        apps.stop();
        client.close();
    }
}
