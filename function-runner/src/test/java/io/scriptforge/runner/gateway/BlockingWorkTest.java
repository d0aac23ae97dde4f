package io.scriptforge.runner.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that opens many slow requests meets a bound: past it, 503 at once, and room again once work ends. */
class BlockingWorkTest {
    private static final int LIMIT = 2;

    private final CountDownLatch databaseAnswers = new CountDownLatch(1);
    private final BlockingWork work = new BlockingWork(LIMIT);
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void serveARouteWhoseWorkWaitsForTheDatabase() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/slow")
                .handler(ctx -> work.start(ctx, "test-slow", () -> {
                    try {
                        databaseAnswers.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ctx.response().end("done");
                }));
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        databaseAnswers.countDown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pastItsLimitARequestIsRefusedAtOnceAndTheOthersStillComplete() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            admitted.add(send());
        }
        awaitRunning(LIMIT);

        HttpResponse<String> refused = send().get(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("scriptforge.blocking-requests").contains(String.valueOf(LIMIT));
        assertThat(work.running()).isEqualTo(LIMIT);

        databaseAnswers.countDown();
        for (var response : admitted) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        awaitRunning(0);
        assertThat(send().get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
    }

    @Test
    void aWorkThatThrowsGivesItsPlaceBack() throws Exception {
        for (int i = 0; i < LIMIT * 3; i++) {
            assertThat(work.tryStart("test-failing", () -> {
                        throw new IllegalStateException("the database went away");
                    }))
                    .isTrue();
            awaitRunning(0);
        }
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BlockingWork(0))
                .hasMessageContaining("scriptforge.blocking-requests must be at least 1");
    }

    private CompletableFuture<HttpResponse<String>> send() {
        return client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/slow"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitRunning(int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (work.running() != count && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(work.running()).isEqualTo(count);
    }
}
