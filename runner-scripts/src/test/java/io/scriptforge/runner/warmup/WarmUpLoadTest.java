package io.scriptforge.runner.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.crd.RoutingPriority;
import io.scriptforge.crd.ScriptType;
import io.scriptforge.crd.SipStatus;
import io.scriptforge.runner.registry.InvokeAccess;
import io.scriptforge.runner.registry.ScriptRegistry;
import io.scriptforge.sandbox.CompiledScript;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's traffic against a real port, a server that answers each request after 20 ms and counts how
 * many are in flight: all lanes at first, one while narrowed, all again once widened, none after the stop.
 */
class WarmUpLoadTest {
    private static final int LANES = 6;
    private static final String SECRET = "a-secret-of-this-process";
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger withoutSecret = new AtomicInteger();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void aSlowServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    if (!SECRET.equals(request.getHeader(WarmUpGate.HEADER))) {
                        withoutSecret.incrementAndGet();
                    }
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    vertx.setTimer(20, id -> {
                        inFlight.decrementAndGet();
                        request.response().end("{\"ok\":true}");
                    });
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopTheServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void narrowedToOneLaneItKeepsOneRequestInFlightAndWidenedAllOfThemAgain() throws Exception {
        try (WarmUpLoad load = new WarmUpLoad(vertx, "127.0.0.1", server.actualPort(), SECRET, plan(), LANES)) {
            load.start();
            assertThat(mostInFlightDuring(Duration.ofMillis(400)))
                    .as("all lanes at first")
                    .isEqualTo(LANES);

            load.activeLanes(1);
            awaitInFlightAtMost(1); // the lanes in flight answer and park (a busy machine may take a while)
            assertThat(mostInFlightDuring(Duration.ofMillis(400)))
                    .as("narrowed to one lane")
                    .isEqualTo(1);
            assertThat(load.activeLanes()).isEqualTo(1);

            load.activeLanes(LANES + 10);
            assertThat(load.activeLanes()).as("never more than its lanes").isEqualTo(LANES);
            assertThat(mostInFlightDuring(Duration.ofMillis(400)))
                    .as("widened again")
                    .isEqualTo(LANES);

            load.activeLanes(2);
            Thread.sleep(100);
            load.stop(Duration.ofSeconds(2)); // parked lanes count as ended: this returns at once, not after the 2 s
            int afterStop = requests.get();
            Thread.sleep(200);
            assertThat(requests.get()).as("requests after the stop").isEqualTo(afterStop);
            assertThat(load.answered()).isPositive();
            assertThat(load.failed()).isZero();
            assertThat(withoutSecret.get())
                    .as("requests without the warm-up's secret")
                    .isZero();
        }
    }

    @Test
    void aStopWhileNarrowedEndsEveryLaneAndWaitsForNone() throws Exception {
        try (WarmUpLoad load = new WarmUpLoad(vertx, "127.0.0.1", server.actualPort(), SECRET, plan(), LANES)) {
            load.start();
            load.activeLanes(1);
            Thread.sleep(100);
            long started = System.nanoTime();
            load.stop(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("stop with five lanes parked")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(inFlight.get()).isZero();
        }
    }

    private void awaitInFlightAtMost(int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > count && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    private int mostInFlightDuring(Duration window) throws InterruptedException {
        mostInFlight.set(inFlight.get());
        Thread.sleep(window.toMillis());
        return mostInFlight.get();
    }

    private static WarmUpPlan plan() {
        String uuid = "0d7e6c0a-1f1b-4c63-9a51-5b8f2d0c9e11";
        CompiledScript compiled = new CompiledScript(
                "default",
                "warm-up",
                uuid,
                ScriptType.SCRIPT,
                "hash",
                "function main() {}",
                false,
                null,
                null,
                "{}",
                Duration.ofSeconds(1),
                SipStatus.GATEWAY_TIMEOUT,
                new AtomicBoolean());
        ScriptRegistry.Entry builtIn = new ScriptRegistry.Entry(
                "warm-up.yaml",
                1,
                "default",
                "warm-up",
                uuid,
                ScriptType.SCRIPT,
                compiled,
                null,
                RoutingPriority.DISABLED,
                null,
                InvokeAccess.OPEN);
        return new WarmUpPlan(builtIn, List.of("{}"), List.of());
    }
}
