package io.scriptforge.runner.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Cluster mode's authority. A bearer token is sent, as its holder's own, to the API server: a SelfSubjectReview says
 * whom it stands for (an invalid token is refused there) and a SelfSubjectAccessReview whether they may do the
 * control call's verb on the {@code scriptforge.io} resource in the namespace, so RBAC decides (Roles, ClusterRoles,
 * the chart's aggregated view and edit roles). Every authenticated caller may make both reviews about themselves, so
 * the runner needs no right of its own, unlike TokenReview and SubjectAccessReview, which would let a runner ask about
 * anyone. Answers are kept for a short while, bounded in number; a token is kept as its SHA-256 only. Tokens not seen
 * lately are reviewed at a bounded rate: a client sending ever new made-up tokens costs the API server that much at
 * most, and gets 503 beyond it, as does everyone else's new token meanwhile (known ones keep their answers).
 */
public final class KubernetesAuthority implements ControlAuthority {
    static final String GROUP = "scriptforge.io";
    private static final int MAX_KEPT = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI apiServer;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<String, Optional<String>> names;
    private final Cache<Access, Boolean> decisions;
    private final RateLimiter newTokens;
    private final int newTokensPerSecond;

    private record Access(String tokenHash, String namespace, ControlPermission permission) {}

    /** @param tls trusts the API server's certificate authority (the pod's service account CA in a cluster) */
    public KubernetesAuthority(URI apiServer, SSLContext tls, Duration keepAnswers, int newTokensPerSecond) {
        if (newTokensPerSecond < 1) {
            throw new IllegalArgumentException(
                    "scriptforge.control.new-tokens-per-second must be 1 or more, not " + newTokensPerSecond);
        }
        this.newTokensPerSecond = newTokensPerSecond;
        this.newTokens = RateLimiter.of(
                "control-api-new-tokens",
                RateLimiterConfig.custom()
                        .limitForPeriod(newTokensPerSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
        this.apiServer = apiServer;
        this.http =
                HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
        this.names = Caffeine.newBuilder()
                .expireAfterWrite(keepAnswers)
                .maximumSize(MAX_KEPT)
                .build();
        this.decisions = Caffeine.newBuilder()
                .expireAfterWrite(keepAnswers)
                .maximumSize(MAX_KEPT)
                .build();
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) throws UnavailableException {
        String hash = sha256(bearerToken);
        Optional<String> name = names.getIfPresent(hash);
        if (name == null) {
            if (!newTokens.acquirePermission()) {
                throw new UnavailableException(
                        "more than " + newTokensPerSecond + " tokens not seen lately arrived in a second"
                                + " (scriptforge.control.new-tokens-per-second): send the request again in a moment",
                        null);
            }
            ObjectNode review = json.createObjectNode()
                    .put("apiVersion", "authentication.k8s.io/v1")
                    .put("kind", "SelfSubjectReview");
            name = review("/apis/authentication.k8s.io/v1/selfsubjectreviews", bearerToken, review)
                    .map(answer -> answer.path("status")
                            .path("userInfo")
                            .path("username")
                            .asText("an unnamed caller"));
            names.put(hash, name);
        }
        return name.map(known -> new Caller(known, bearerToken));
    }

    @Override
    public boolean allows(Caller caller, String namespace, ControlPermission permission) throws UnavailableException {
        Access access = new Access(sha256(caller.credential()), namespace, permission);
        Boolean known = decisions.getIfPresent(access);
        if (known != null) {
            return known;
        }
        ObjectNode review = json.createObjectNode()
                .put("apiVersion", "authorization.k8s.io/v1")
                .put("kind", "SelfSubjectAccessReview");
        ObjectNode attributes = review.putObject("spec")
                .putObject("resourceAttributes")
                .put("group", GROUP)
                .put("resource", permission.resource())
                .put("subresource", permission.subresource())
                .put("verb", permission.verb())
                .put("namespace", namespace);
        if (!permission.name().isEmpty()) {
            attributes.put("name", permission.name());
        }
        // A token that expired since it was authenticated stands for no one now: refused, as it would be at the API.
        boolean allowed = review("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", caller.credential(), review)
                .map(answer -> answer.path("status").path("allowed").asBoolean(false))
                .orElse(false);
        decisions.put(access, allowed);
        return allowed;
    }

    /** The API server's answer to a review made with {@code token}; empty when it does not accept the token (401). */
    private Optional<JsonNode> review(String path, String token, ObjectNode body) throws UnavailableException {
        HttpRequest request = HttpRequest.newBuilder(apiServer.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException(
                    "the Kubernetes API server at " + apiServer + " could not be asked: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking the Kubernetes API server", e);
        }
        if (answer.statusCode() == 401) {
            return Optional.empty();
        }
        if (answer.statusCode() == 403) {
            throw new UnavailableException(
                    "the Kubernetes API server refused the caller's own review (" + path + "): every"
                            + " authenticated user may make it through the ClusterRole system:basic-user, unless that binding was removed",
                    null);
        }
        if (answer.statusCode() != 201 && answer.statusCode() != 200) {
            throw new UnavailableException(
                    "the Kubernetes API server answered " + path + " with " + answer.statusCode(), null);
        }
        try {
            return Optional.of(json.readTree(answer.body()));
        } catch (IOException e) {
            throw new UnavailableException("the Kubernetes API server's review is not JSON", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
