package io.scriptforge.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.ScriptIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The tests' view of a runner: a real HTTP port, and the directory it watches. Scripts are
 * deployed by writing YAML there, exactly as a user of local mode does.
 */
public final class RunnerClient {
    public static final Path SCRIPTS = Path.of("target/test-scripts");
    /** The control API's token of the tests' runners ({@code %test.scriptforge.control.token}, RunnerProcess). */
    public static final String CONTROL_TOKEN = "test-control-token-0123456789";
    /** The header that carries it. */
    public static final String CONTROL_AUTHORIZATION = "Bearer " + CONTROL_TOKEN;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public RunnerClient(java.net.URL base) {
        this.base = URI.create(base.toString().replaceAll("/$", ""));
    }

    /** Writes a Script into namespace {@code tests} and waits until the runner lists it; returns its UUID. */
    public String deploy(String name, String type, String code, String... specLines) {
        return deployIn("tests", name, type, code, specLines);
    }

    /** The same, in {@code namespace}. */
    public String deployIn(String namespace, String name, String type, String code, String... specLines) {
        write(
                (namespace.equals("tests") ? "" : namespace + "-") + name + ".yaml",
                yaml(name, type, code, specLines).replace("namespace: tests}", "namespace: " + namespace + "}"));
        String uuid = ScriptIdentity.nameBasedUuid(namespace, name).toString();
        for (String line : specLines) {
            if (line.startsWith("uuid:")) {
                uuid = line.substring(5).trim();
            }
        }
        // What a YAML block scalar (|) holds: the lines, each ended by a newline.
        awaitListed(uuid, sha256(String.join("\n", code.lines().toList()) + "\n"));
        return uuid;
    }

    private static String sha256(String code) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String yaml(String name, String type, String code, String... specLines) {
        StringBuilder yaml = new StringBuilder()
                .append("apiVersion: scriptforge.io/v1alpha1\nkind: Script\n")
                .append("metadata: {name: ")
                .append(name)
                .append(", namespace: tests}\n")
                .append("spec:\n  type: ")
                .append(type)
                .append('\n');
        for (String line : specLines) {
            yaml.append("  ").append(line).append('\n');
        }
        yaml.append("  code: |\n")
                .append(code.lines().map(l -> "    " + l).collect(Collectors.joining("\n")))
                .append('\n');
        return yaml.toString();
    }

    public void write(String file, String content) {
        try {
            Path tmp = SCRIPTS.resolve("." + file + ".tmp");
            Files.writeString(tmp, content);
            Files.move(
                    tmp,
                    SCRIPTS.resolve(file),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String file) {
        try {
            Files.deleteIfExists(SCRIPTS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runner's listing entry for {@code uuid}, or null. */
    public JsonNode listed(String uuid) {
        for (JsonNode script : json(get("/v1/scripts"))) {
            if (script.path("uuid").asText().equals(uuid)) {
                return script;
            }
        }
        return null;
    }

    public JsonNode listedByName(String namespace, String name) {
        for (JsonNode script : json(get("/v1/scripts"))) {
            if (script.path("namespace").asText().equals(namespace)
                    && script.path("name").asText().equals(name)) {
                return script;
            }
        }
        return null;
    }

    /** Until this very code is loaded (or failed to load): a file left by an earlier run may be listed already. */
    private void awaitListed(String uuid, String codeHash) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            JsonNode listed = listed(uuid);
            if (listed != null
                    && (codeHash.equals(listed.path("codeHash").asText())
                            || !listed.path("loadError").isNull())) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("the runner did not list " + uuid + " with the new code within 10 s");
    }

    public HttpResponse<String> post(String uuid, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/invoke/" + uuid))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public HttpResponse<String> postJson(String uuid, String body) {
        return post(uuid, "application/json", body);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", CONTROL_AUTHORIZATION)
                .GET()
                .build());
    }

    public HttpResponse<String> httpDelete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", CONTROL_AUTHORIZATION)
                .DELETE()
                .build());
    }

    public java.util.concurrent.CompletableFuture<HttpResponse<String>> postAsync(
            String uuid, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/invoke/" + uuid))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
