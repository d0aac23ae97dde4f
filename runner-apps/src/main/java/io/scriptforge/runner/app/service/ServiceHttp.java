package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java side of {@code WebServer.onrequest}: which prefixes the service handles, and the
 * requests waiting for their handler's answer.
 */
final class ServiceHttp {
    private static final Map<String, String> TEXT = Map.of("content-type", "text/plain; charset=utf-8");

    private final List<String> prefixes = new CopyOnWriteArrayList<>();
    private final Map<Long, CompletableFuture<ServiceResponse>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    void addPrefix(String prefix) {
        prefixes.add(prefix);
    }

    boolean hasPrefixes() {
        return !prefixes.isEmpty();
    }

    /** The longest registered prefix {@code path} starts with. */
    Optional<String> route(String path) {
        String best = null;
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Registers a request waiting for its answer; the id is what the handler answers to. */
    long await(CompletableFuture<ServiceResponse> answer) {
        long id = ids.incrementAndGet();
        waiting.put(id, answer);
        answer.whenComplete((r, e) -> waiting.remove(id)); // also when the caller gives up
        return id;
    }

    /** The handler's answer: body as UTF-8, headers as the library normalized them. */
    void respond(long id, int status, String headersJson, String body) {
        CompletableFuture<ServiceResponse> answer = waiting.remove(id);
        if (answer == null) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode parsed = ServiceJson.read(headersJson);
        parsed.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        answer.complete(new ServiceResponse(status, Map.copyOf(headers), body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Answers a waiting request with a plain-text error. */
    void fail(long id, int status, String message) {
        CompletableFuture<ServiceResponse> answer = waiting.remove(id);
        if (answer != null) {
            answer.complete(plain(status, message));
        }
    }

    /** Answers every waiting request: the service stopped. */
    void failAll(int status, String message) {
        for (Long id : List.copyOf(waiting.keySet())) {
            fail(id, status, message);
        }
    }

    static ServiceResponse plain(int status, String message) {
        return new ServiceResponse(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }

    /** What the handler's {@code req} is built from: query by first value, header names lowercase, body as text. */
    static String requestJson(ServiceRequest request) {
        ObjectNode json = ServiceJson.NODES.objectNode();
        json.put("method", request.method());
        json.put("path", request.path());
        ObjectNode query = json.putObject("query");
        if (request.query() != null) {
            request.query().forEach((name, values) -> {
                if (values != null && !values.isEmpty()) {
                    query.put(name, values.getFirst());
                }
            });
        }
        ObjectNode headers = json.putObject("headers");
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        json.put("body", request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        return ServiceJson.write(json);
    }
}
