package io.scriptforge.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a kube-apiserver for the chart's {@code lookup} of its database Secret.
 *
 * <p>helm-java's template command renders with Helm's dry-run mode "none", so {@code lookup} calls the cluster
 * of {@code $KUBECONFIG} instead of returning nothing as {@code helm template} does. Surefire points
 * {@code KUBECONFIG} at the file {@link #start()} writes, so every render asks this server: it knows the
 * Secret kind, and serves the Secrets a test {@link #putSecret puts}, else 404 (a first install).
 */
final class FakeApiServer {

    private static final String SECRETS = "/api/v1/namespaces/%s/secrets/%s";
    private static final String API_V1 = """
      {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
       {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
        "verbs":["get","list","watch","create","update","patch","delete"]}]}""";

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private HttpServer server;

    /** Starts on a free port and writes the kubeconfig that {@code $KUBECONFIG} names. */
    FakeApiServer start() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !kubeconfig.endsWith("fake-apiserver.kubeconfig")) {
            throw new IllegalStateException("KUBECONFIG must name target/fake-apiserver.kubeconfig (Surefire sets it,"
                    + " see helm/pom.xml); it is " + kubeconfig);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::answer);
            server.start();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
          users: [{name: fake, user: {}}]
          contexts: [{name: fake, context: {cluster: fake, user: fake}}]
          current-context: fake
          """.formatted(server.getAddress().getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    void stop() {
        server.stop(0);
    }

    /** From now on the cluster holds this Secret, as after an install. */
    void putSecret(String namespace, String name, Map<String, String> data) {
        StringBuilder encoded = new StringBuilder();
        data.forEach((key, value) -> encoded.append(encoded.isEmpty() ? "" : ",")
                .append('"')
                .append(key)
                .append("\":\"")
                .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .append('"'));
        secrets.put(SECRETS.formatted(namespace, name), """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{%s}}""".formatted(name, namespace, encoded));
    }

    void clear() {
        secrets.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = path.equals("/api/v1") ? API_V1 : secrets.get(path);
        int status = body == null ? 404 : 200;
        if (body == null) {
            body = """
          {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"%s not found"}""".formatted(path);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
