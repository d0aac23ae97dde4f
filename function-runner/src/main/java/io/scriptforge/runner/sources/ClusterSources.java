package io.scriptforge.runner.sources;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.scriptforge.runner.app.AppRegistry;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.runner.schedule.ScriptSchedules;
import java.util.concurrent.CompletionStage;

/**
 * Cluster mode: the Scripts and Apps of one pool, followed through informers; complete once the first lists are
 * served. Its client uses in-cluster config or KUBECONFIG (the kubeconfig system property first), on a Vert.x of
 * its own: fabric8 parses watch events on its event loop, and on Quarkus' Vert.x a burst of them (or the first
 * one) held the gateway's event loop for seconds, and requests waited behind it.
 */
final class ClusterSources implements RunnerSources {
    private final RunnerConfig.Kubernetes config;
    private final ScriptRegistry registry;
    private final AppRegistry apps;
    private final SecretValues secrets;
    private final ScriptSchedules schedules;
    private ClusterLoader loader;

    ClusterSources(
            RunnerConfig.Kubernetes config,
            ScriptRegistry registry,
            AppRegistry apps,
            SecretValues secrets,
            ScriptSchedules schedules) {
        this.config = config;
        this.registry = registry;
        this.apps = apps;
        this.secrets = secrets;
        this.schedules = schedules;
    }

    /** Returns at once: the runner starts (and is live) without waiting for the API server, but not ready. */
    @Override
    public synchronized CompletionStage<Void> start() {
        KubernetesClient client = new KubernetesClientBuilder()
                .withHttpClientFactory(new VertxHttpClientFactory())
                .build();
        // fabric8 maps every resource kind it knows (a class-path scan, seconds on a busy pod) when it first reads an
        // object: done here, at start, rather than on an event loop under the first watch event.
        client.getKubernetesSerialization().unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}");
        String namespace =
                ClusterLoader.namespace(config.namespace(), ClusterLoader.POD_NAMESPACE_FILE, client.getNamespace());
        loader = new ClusterLoader(client, namespace, config.pool(), registry, apps);
        secrets.readFrom(loader.inputs());
        schedules.reportTo(loader::reportSchedule);
        return loader.start();
    }

    @Override
    public synchronized void close() {
        if (loader != null) {
            loader.close();
            loader = null;
        }
    }

    @Override
    public String toString() {
        return "cluster mode (pool " + config.pool() + ")";
    }
}
