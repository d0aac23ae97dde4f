package io.scriptforge.runner.egress;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * {@link HostHttp} on Vert.x's WebClient. Each exchange: the host name is checked, resolved, and
 * every resolved address checked; the client then connects to that very address (the name only
 * travels as Host header and TLS server name), so DNS cannot be re-pointed after the check.
 * Redirects are not followed here: the libraries follow them, and each hop is checked again.
 */
public final class VertxHostHttp implements HostHttp {
    private final Vertx vertx;
    private final WebClient client;
    private final EgressResolver resolver;
    private final EgressLimits limits;

    public VertxHostHttp(Vertx vertx, EgressPolicy policy, EgressLimits limits) {
        this.vertx = vertx;
        this.resolver = new EgressResolver(vertx, policy);
        this.limits = limits;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setFollowRedirects(false)
                        .setTryUseCompression(true)
                        .setUserAgentEnabled(false)
                        .setConnectTimeout((int)
                                Math.min(Integer.MAX_VALUE, limits.timeout().toMillis()))
                        .setVerifyHost(true));
    }

    @Override
    public Cancellable send(
            HttpExchange.Request request,
            byte[] body,
            long remainingMillis,
            BiConsumer<HttpExchange.Failure, HttpExchange.Response> onDone) {
        AtomicBoolean over = new AtomicBoolean();
        BiConsumer<HttpExchange.Failure, HttpExchange.Response> once = (f, r) -> {
            if (over.compareAndSet(false, true)) {
                onDone.accept(f, r);
            }
        };
        Target target;
        try {
            target = Target.of(request.url());
        } catch (IllegalArgumentException e) {
            once.accept(new HttpExchange.Failure(e.getMessage(), "ERR_INVALID_URL"), null);
            return () -> {};
        }
        if (body.length > limits.maxRequestBytes()) {
            once.accept(
                    new HttpExchange.Failure(
                            "request body of " + body.length + " bytes exceeds the runner's limit of "
                                    + limits.maxRequestBytes() + " (scriptforge.egress.max-request-bytes)",
                            "E2BIG"),
                    null);
            return () -> {};
        }
        long timeout = Math.max(
                1,
                Math.min(
                        remainingMillis,
                        request.timeoutMillis() > 0
                                ? Math.min(
                                        request.timeoutMillis(),
                                        limits.timeout().toMillis())
                                : limits.timeout().toMillis()));
        long timer = vertx.setTimer(timeout, id -> {
            once.accept(
                    new HttpExchange.Failure(
                            request.method() + " " + request.url() + " timed out after " + timeout + " ms",
                            "ETIMEDOUT"),
                    null);
        });
        resolver.resolve(target.host()).onComplete(resolved -> {
            if (over.get()) {
                return;
            }
            if (resolved.failed()) {
                EgressResolver.Refused refused = (EgressResolver.Refused) resolved.cause();
                once.accept(
                        new HttpExchange.Failure(
                                refused.describe(request.method() + " " + request.url()), refused.code),
                        null);
                return;
            }
            InetAddress address = resolved.result();
            HttpRequest<Buffer> http = client.request(
                            HttpMethod.valueOf(request.method()),
                            SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()),
                            target.port(),
                            target.host(),
                            target.pathAndQuery())
                    .ssl(target.tls())
                    .timeout(timeout);
            for (List<String> header : request.headers()) {
                http.putHeader(header.get(0), header.get(1));
            }
            http.as(new LimitedBody(limits.maxResponseBytes()).codec())
                    .sendBuffer(Buffer.buffer(body))
                    .onComplete(answer -> {
                        vertx.cancelTimer(timer);
                        if (answer.failed()) {
                            once.accept(failureOf(request, answer.cause()), null);
                            return;
                        }
                        var response = answer.result();
                        List<List<String>> headers = new ArrayList<>();
                        response.headers().forEach(e -> {
                            String name = e.getKey().toLowerCase(Locale.ROOT);
                            if (!name.equals("content-encoding")
                                    && !name.equals("content-length")
                                    && !name.equals("transfer-encoding")) {
                                headers.add(List.of(e.getKey(), e.getValue()));
                            }
                        });
                        byte[] bytes = response.body() == null
                                ? new byte[0]
                                : response.body().getBytes();
                        headers.add(List.of("content-length", Integer.toString(bytes.length)));
                        once.accept(
                                null,
                                new HttpExchange.Response(
                                        response.statusCode(),
                                        response.statusMessage(),
                                        headers,
                                        java.util.Base64.getEncoder().encodeToString(bytes)));
                    });
        });
        return () -> {
            over.set(true);
            vertx.cancelTimer(timer);
        };
    }

    private static HttpExchange.Failure failureOf(HttpExchange.Request request, Throwable cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String code = cause instanceof LimitedBody.TooLarge
                ? "E2BIG"
                : cause instanceof java.net.ConnectException || message.contains("Connection refused")
                        ? "ECONNREFUSED"
                        : cause instanceof UnknownHostException
                                ? "ENOTFOUND"
                                : cause instanceof java.util.concurrent.TimeoutException
                                                || cause.getClass()
                                                        .getSimpleName()
                                                        .contains("Timeout")
                                        ? "ETIMEDOUT"
                                        : "ECONNRESET";
        return new HttpExchange.Failure(request.method() + " " + request.url() + " failed: " + message, code);
    }

    /** The parts of an http(s) URL the client needs. */
    record Target(boolean tls, String host, int port, String pathAndQuery) {
        static Target of(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid URL '" + url + "': " + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("only http and https URLs can be requested, not '" + url + "'");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the URL '" + url + "' has no host");
            }
            String host = uri.getHost().startsWith("[")
                    ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            boolean tls = scheme.equals("https");
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Target(tls, host, port, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        }
    }
}
