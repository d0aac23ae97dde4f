package io.scriptforge.it.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1, from local binaries, without Docker: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok playing one fake Node ({@value #NODE_NAME}) on which
 * scheduled Pods become Running and Ready without a kubelet. Nothing runs the Pods' containers.
 *
 * <p>Files: {@code target/k8s/} (etcd data, certificates, keys), {@code target/it-kubeconfig} (a cluster-admin
 * token), {@code target/k8s-logs/<process>.log}. Started once per test JVM by {@link ClusterExtension}; closed by
 * it at the end of the run, and by a JVM shutdown hook when the run ends any other way.
 */
public final class TestCluster implements AutoCloseable {

    public static final String NODE_NAME = "kwok-node";
    public static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL_LINES = 25;

    private final Path repoRoot;
    private final Path workDir;
    private final Path logsDir;
    private final Path targetDir;
    private final Path kubeconfig;
    private final String token = UUID.randomUUID().toString();
    private final List<ManagedProcess> controlPlane = new CopyOnWriteArrayList<>();
    private final List<ManagedProcess> applications = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopEverything, "test-cluster-shutdown");
    private Path bin;
    private Path ca;
    private String server;
    private volatile KubernetesClient client;
    private volatile boolean closed;

    private TestCluster(Path repoRoot, Path target) {
        Path targetDir = target.toAbsolutePath().normalize();
        this.repoRoot = repoRoot;
        this.workDir = targetDir.resolve("k8s");
        this.logsDir = targetDir.resolve("k8s-logs");
        this.targetDir = targetDir;
        this.kubeconfig = targetDir.resolve("it-kubeconfig");
    }

    /**
     * Starts a control plane for the repository around this module, writing under its {@code target/} (the
     * {@code scriptforge.it.target} system property the build sets, or {@code ./target}).
     */
    public static TestCluster start() {
        Path targetDir =
                Path.of(System.getProperty("scriptforge.it.target", "target")).toAbsolutePath();
        return start(RepoRoot.find(targetDir), targetDir);
    }

    public static TestCluster start(Path repoRoot, Path targetDir) {
        TestCluster cluster = new TestCluster(repoRoot, targetDir);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.boot();
            return cluster;
        } catch (RuntimeException | Error e) {
            String logs = cluster.logTails();
            System.err.println("TestCluster: startup failed: " + e + "\n" + logs);
            cluster.close();
            throw new IllegalStateException(
                    "the test cluster did not start: " + e.getMessage() + "\nlogs in " + cluster.logsDir + "\n" + logs,
                    e);
        }
    }

    private void boot() {
        long started = System.nanoTime();
        ClusterFiles.deleteRecursively(logsDir);
        bin = Binaries.ensure(repoRoot, logsDir);
        Timer timer = new Timer(started);
        stopLeftoversOfAnEarlierRun();
        ClusterFiles.deleteRecursively(workDir);
        createDirectories(workDir);

        int etcdPort = ClusterFiles.freePort();
        int etcdPeerPort = ClusterFiles.freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        startBinary(
                "etcd",
                "--name=it",
                "--data-dir=" + workDir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-cluster=it=http://127.0.0.1:" + etcdPeerPort,
                "--unsafe-no-fsync=true",
                "--log-level=warn");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("etcd /health", () -> get(http, etcdUrl + "/health", null).contains("\"health\":\"true\"") ? true : null);
        timer.lap("etcd");

        Path pki = workDir.resolve("pki");
        ClusterFiles.writeServiceAccountKeys(workDir);
        int apiPort = ClusterFiles.freePort();
        server = "https://127.0.0.1:" + apiPort;
        startBinary(
                "kube-apiserver",
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + pki,
                "--token-auth-file=" + ClusterFiles.writeTokenFile(workDir, token),
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + workDir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + workDir.resolve("sa.key"),
                "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
                // One API server on loopback: no Endpoints for the "kubernetes" Service (127.0.0.1 is refused there).
                "--endpoint-reconciler-type=none",
                "--enable-priority-and-fairness=false",
                "--allow-privileged=true",
                "--profiling=false");
        ca = pki.resolve("apiserver.crt");
        HttpClient https = await("kube-apiserver's self-signed certificate", () -> httpsTrusting(ca));
        await(
                "kube-apiserver /readyz",
                () -> get(https, server + "/readyz", token).equals("ok") ? true : null);
        timer.lap("kube-apiserver");

        ClusterFiles.writeKubeconfig(kubeconfig, server, ca, token);
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(readKubeconfig()))
                .build();
        startBinary(
                "kube-controller-manager",
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--leader-elect=false",
                "--service-account-private-key-file=" + workDir.resolve("sa.key"),
                "--root-ca-file=" + ca,
                // otherwise it creates /usr/libexec/kubernetes/kubelet-plugins/volume/exec on the host
                "--flex-volume-plugin-dir=" + workDir.resolve("flexvolume"),
                "--profiling=false");
        startBinary(
                "kube-scheduler",
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--leader-elect=false",
                "--profiling=false");
        startBinary(
                "kwok", "--kubeconfig=" + kubeconfig, "--config=" + ClusterFiles.copyResource("kwok.yaml", workDir));

        try (InputStream in = getClass().getResourceAsStream("/cluster/kwok-node.yaml")) {
            client.nodes()
                    .resource(client.getKubernetesSerialization().unmarshal(in, Node.class))
                    .create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(
                "node " + NODE_NAME + " Ready (kwok)",
                () -> isReady(client.nodes().withName(NODE_NAME).get()) ? true : null);
        timer.lap("kwok node");
        awaitDefaultServiceAccount("default");
        timer.lap("default ServiceAccount");
        System.out.println("TestCluster: up at " + server + " in " + timer + "; KUBECONFIG=" + kubeconfig + ", logs in "
                + logsDir);
    }

    /** A client with cluster-admin rights; closed with the cluster. */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig file giving cluster-admin rights to whoever reads it (target/it-kubeconfig). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server's URL, {@code https://127.0.0.1:<port>}. */
    public String server() {
        return server;
    }

    /** Applies the CRDs of {@code crds/yaml} and waits until each is Established; safe to call from every test class. */
    public void installCrds() {
        kubectl("apply", "-f", "crds/yaml/").orFail();
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", "crds/yaml/")
                .orFail();
    }

    /**
     * A kubeconfig that acts as ServiceAccount {@code serviceAccount} of {@code namespace} (a TokenRequest token),
     * as a pod running under that account would: what it may do is what its RBAC grants, nothing more.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
        TokenRequest request = client.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build());
        return ClusterFiles.writeKubeconfig(
                workDir.resolve(namespace + "-" + serviceAccount + ".kubeconfig"),
                server,
                ca,
                request.getStatus().getToken(),
                serviceAccount,
                namespace);
    }

    /** A TokenRequest token of ServiceAccount {@code serviceAccount} of {@code namespace}, valid for an hour. */
    public String serviceAccountToken(String namespace, String serviceAccount) {
        return client.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** The repository's root directory (the one holding {@code crds/yaml}). */
    public Path repoRoot() {
        return repoRoot;
    }

    /** Where every process this cluster started writes its log: {@code target/k8s-logs}. */
    public Path logsDir() {
        return logsDir;
    }

    /**
     * Runs the cached kubectl against this cluster, in the repository's root directory (so {@code -f examples/}
     * works), and returns what it printed. Fails if it takes longer than two minutes.
     */
    public CommandResult kubectl(String... args) {
        return new Kubectl(bin.resolve("kubectl"), kubeconfig, workDir, repoRoot).run(args);
    }

    /** Creates a namespace and waits until Pods can be created in it (its default ServiceAccount exists). */
    public Namespace createNamespace(String name) {
        Namespace namespace = client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        awaitDefaultServiceAccount(name);
        return namespace;
    }

    /**
     * Starts {@code java -jar} (see {@link JavaProcess}) with {@code KUBECONFIG} pointing at this cluster. The
     * process is stopped by {@link ManagedProcess#close()}, or at the latest before the control plane stops.
     */
    public ManagedProcess launch(JavaProcess java) {
        ManagedProcess process = java.start(repoRoot, logsDir, targetDir, Map.of("KUBECONFIG", kubeconfig.toString()));
        applications.add(process);
        return process;
    }

    /** Stops every process this cluster started: applications first, then the control plane. Idempotent. */
    @Override
    public void close() {
        stopEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left to undo
        }
    }

    private synchronized void stopEverything() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        if (client != null) {
            client.close();
        }
        stopTogether(applications);
        // Reverse start order: kwok, scheduler, controller-manager together; then the API server; then etcd.
        List<ManagedProcess> reversed = controlPlane.reversed();
        stopTogether(reversed.stream()
                .filter(p -> !p.name().equals("kube-apiserver") && !p.name().equals("etcd"))
                .toList());
        stopTogether(
                reversed.stream().filter(p -> p.name().equals("kube-apiserver")).toList());
        stopTogether(reversed.stream().filter(p -> p.name().equals("etcd")).toList());
        if (!controlPlane.isEmpty()) {
            System.out.printf("TestCluster: stopped in %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    private static void stopTogether(Collection<ManagedProcess> processes) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            processes.forEach(process -> executor.submit(process::close));
        }
    }

    private void startBinary(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(name).toString());
        command.addAll(List.of(args));
        controlPlane.add(ManagedProcess.start(name, command, Map.of(), workDir, logsDir));
    }

    /** Waits for {@code probe} to answer; fails at once when a process of the control plane has exited. */
    private <T> T await(String what, Supplier<T> probe) {
        return Await.until(what, STEP_TIMEOUT, () -> {
            for (ManagedProcess process : controlPlane) {
                if (!process.isAlive()) {
                    // an Error, so that Await gives up at once
                    throw new AssertionError(process.name() + " exited while waiting for " + what + "; the end of "
                            + process.log() + ":\n" + process.logTail(LOG_TAIL_LINES));
                }
            }
            return probe.get();
        });
    }

    private void awaitDefaultServiceAccount(String namespace) {
        await(
                "ServiceAccount default in namespace " + namespace,
                () -> client.serviceAccounts()
                        .inNamespace(namespace)
                        .withName("default")
                        .get());
    }

    private String logTails() {
        return controlPlane.stream()
                .map(p -> "==> " + p.log() + " <==\n" + p.logTail(LOG_TAIL_LINES))
                .collect(Collectors.joining("\n"));
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readKubeconfig() {
        try {
            return Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isReady(Node node) {
        return node != null
                && node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The body of a 200 answer; an exception otherwise (which {@link Await} reads as "not yet"). */
    private static String get(HttpClient http, String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTPS client trusting only the certificates in {@code caFile}; an exception while it is incomplete. */
    private static HttpClient httpsTrusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException(caFile + " holds no certificate yet");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder()
                    .sslContext(ssl)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops what an earlier run killed with SIGKILL (kill -9, a failsafe timeout) left running: processes started
     * from the cached binaries, or with this harness's {@link JavaProcess#OWNER_PROPERTY}, whose arguments name
     * this module's target directory. No other process matches both.
     */
    private void stopLeftoversOfAnEarlierRun() {
        String target = targetDir + "/";
        String javaMarker = "-D" + JavaProcess.OWNER_PROPERTY + "=" + targetDir;
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> {
                    List<String> args = List.of(h.info().arguments().orElse(new String[0]));
                    boolean binary = h.info()
                                    .command()
                                    .filter(c -> c.startsWith(bin + "/"))
                                    .isPresent()
                            && args.stream().anyMatch(a -> a.contains(target));
                    return binary || args.contains(javaMarker);
                })
                .forEach(h -> {
                    System.out.println("TestCluster: stopping pid " + h.pid() + " ("
                            + h.info().command().orElse("?") + "), left running by an earlier run");
                    h.destroyForcibly();
                });
    }

    /** Startup time, step by step. */
    private static final class Timer {
        private final long started;
        private long last;
        private final StringBuilder laps = new StringBuilder();

        Timer(long started) {
            this.started = started;
            this.last = System.nanoTime();
            laps.append(String.format("binaries %.1f s", (last - started) / 1e9));
        }

        void lap(String step) {
            long now = System.nanoTime();
            laps.append(String.format(", %s %.1f s", step, (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return String.format("%.1f s (%s)", (System.nanoTime() - started) / 1e9, laps);
        }
    }
}
