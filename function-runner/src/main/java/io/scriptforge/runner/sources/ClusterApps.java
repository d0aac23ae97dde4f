package io.scriptforge.runner.sources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppRuntimeStatus;
import io.scriptforge.crd.KeyReference;
import io.scriptforge.crd.Names;
import io.scriptforge.runner.app.AppInputs;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.app.AppRuntime;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Cluster mode's Apps: the App resources of the runner's pool, followed by an informer; their
 * Secret and ConfigMap read with a plain get (the runner may read only those it is pointed at, and
 * lists none). A periodic resync re-reads them, so a rotated password is taken up. What the runner
 * found (served, or why not) goes to the App's status.runtime, again whenever an App that waited for
 * its database was started anew.
 */
final class ClusterApps implements AppInputs {
    private static final Logger LOG = Logger.getLogger(ClusterApps.class);
    private static final long RESYNC_MILLIS = 120_000;

    private final KubernetesClient client;
    private final String namespace;
    private final String pool;
    private final AppRegistry registry;
    private SharedIndexInformer<App> informer;

    ClusterApps(KubernetesClient client, String namespace, String pool, AppRegistry registry) {
        this.client = client;
        this.namespace = namespace;
        this.pool = pool;
        this.registry = registry;
    }

    /** Completes once every App of the first list has been started (or found unservable). */
    CompletionStage<Void> start(io.fabric8.kubernetes.client.informers.ExceptionHandler retry) {
        informer = client.resources(App.class).inNamespace(namespace).runnableInformer(RESYNC_MILLIS);
        informer.exceptionHandler(retry);
        registry.whenRestarted(
                runtime -> Optional.ofNullable(informer.getStore().getByKey(runtime.qualifiedName()))
                        .ifPresent(this::report));
        CompletableFuture<Void> listServed = ClusterLoader.follow(
                informer,
                this::apply,
                app -> registry.remove(
                        app.getMetadata().getNamespace(), app.getMetadata().getName()));
        return CompletableFuture.allOf(informer.start().toCompletableFuture(), listServed);
    }

    private void apply(App app) {
        String itsPool =
                Names.poolOrDefault(app.getSpec() == null ? null : app.getSpec().getPool());
        if (!pool.equals(itsPool)) {
            registry.remove(app.getMetadata().getNamespace(), app.getMetadata().getName());
            return;
        }
        registry.apply(
                "kubernetes:" + app.getMetadata().getNamespace() + "/"
                        + app.getMetadata().getName(),
                app,
                this);
        report(app);
    }

    /**
     * Writes status.runtime when what this runner found differs from what it says: every replica
     * reaches the same verdict from the same inputs, so their writes agree. The operator derives Ready from it.
     */
    private void report(App app) {
        String ns = app.getMetadata().getNamespace();
        String name = app.getMetadata().getName();
        AppRuntime runtime = registry.byName(ns, name).orElse(null);
        if (runtime == null) {
            return;
        }
        AppRuntimeStatus found = runtime.ready()
                ? new AppRuntimeStatus(
                        true,
                        "served at " + runtime.basePath() + " (schema "
                                + runtime.schema().name() + ")",
                        runtime.schemaVersion(),
                        app.getMetadata().getGeneration())
                : new AppRuntimeStatus(
                        false, runtime.problem(), null, app.getMetadata().getGeneration());
        AppRuntimeStatus said = app.getStatus() == null ? null : app.getStatus().getRuntime();
        if (found.equals(said)) {
            return;
        }
        try {
            String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("runtime", found)));
            client.resources(App.class)
                    .inNamespace(ns)
                    .withName(name)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot report App %s/%s's state in its status (%s): the runner needs patch on apps/status in its namespace",
                    ns, name, e.getMessage());
        }
    }

    @Override
    public Optional<String> secret(String ns, KeyReference ref) {
        try {
            Secret secret =
                    client.secrets().inNamespace(ns).withName(ref.getName()).get();
            if (secret == null) {
                return Optional.empty();
            }
            if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
                return Optional.of(secret.getStringData().get(ref.getKey()));
            }
            return Optional.ofNullable(secret.getData())
                    .map(d -> d.get(ref.getKey()))
                    .map(v -> new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8));
        } catch (KubernetesClientException e) {
            LOG.errorf(
                    "cannot read Secret %s/%s: %s (the runner needs get on secrets in its namespace)",
                    ns, ref.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> configMapBinary(String ns, KeyReference ref) {
        try {
            ConfigMap map =
                    client.configMaps().inNamespace(ns).withName(ref.getName()).get();
            return Optional.ofNullable(map)
                    .map(ConfigMap::getBinaryData)
                    .map(d -> d.get(ref.getKey()))
                    .map(v -> Base64.getMimeDecoder().decode(v));
        } catch (KubernetesClientException e) {
            LOG.errorf(
                    "cannot read ConfigMap %s/%s: %s (the runner needs get on configmaps in its namespace)",
                    ns, ref.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    void stop() {
        if (informer != null) {
            informer.stop();
        }
    }
}
