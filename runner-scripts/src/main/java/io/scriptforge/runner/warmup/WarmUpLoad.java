package io.scriptforge.runner.warmup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The warm-up's traffic: a closed loop of up to {@code lanes} HTTP requests to the runner's own port (loopback),
 * each lane sending its next request when the previous one answered, so the gateway, Jackson, the
 * invoker, the context pools and the runtime are exercised as a client's requests exercise them.
 * {@link #activeLanes(int)} narrows or widens it: a lane beyond the active ones parks after its answer
 * and resumes when widened. Everything here runs on Vert.x event loops and never blocks them; the
 * JavaScript runs where it always does.
 */
final class WarmUpLoad implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WarmUpLoad.class);
    /** A request that has not answered this long after its invocation's timeout is given up. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
    /** After a request that got no answer (the port unreachable), its lane pauses instead of spinning. */
    private static final long NO_ANSWER_PAUSE_MILLIS = 100;

    private final WarmUpPlan plan;
    private final String secret;
    private final String host;
    private final int port;
    private final int lanes;
    private final Vertx vertx;
    private final HttpClient client;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final CountDownLatch idle;
    /** Lanes parked while narrowed, by number; guarded by {@code this}. */
    private final ArrayDeque<Integer> parked = new ArrayDeque<>();

    private volatile boolean running;
    private volatile int active;

    WarmUpLoad(Vertx vertx, String host, int port, String secret, WarmUpPlan plan, int lanes) {
        this.plan = plan;
        this.secret = secret;
        this.host = host;
        this.port = port;
        this.lanes = lanes;
        this.active = lanes;
        this.idle = new CountDownLatch(lanes);
        this.vertx = vertx;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(lanes));
    }

    void start() {
        running = true;
        for (int i = 0; i < lanes; i++) {
            send(i);
        }
    }

    /** From now on only lanes below {@code count} (1 to {@code lanes}) send; the others park after their answer. */
    void activeLanes(int count) {
        int clamped = Math.clamp(count, 1, lanes);
        List<Integer> resumed = new ArrayList<>();
        synchronized (this) {
            active = clamped;
            parked.removeIf(lane -> lane < clamped && resumed.add(lane));
        }
        resumed.forEach(this::send);
    }

    int activeLanes() {
        return active;
    }

    /** Invocations answered so far, whatever their answer (an error is an answer too). */
    long answered() {
        return answered.get();
    }

    /** Requests that failed: answered with a 5xx, or not at all. */
    long failed() {
        return failed.get();
    }

    /** Sends nothing more, and waits (at most {@code max}) for the requests in flight. */
    void stop(Duration max) throws InterruptedException {
        synchronized (this) {
            running = false;
            parked.forEach(lane -> idle.countDown());
            parked.clear();
        }
        idle.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(int lane) {
        if (lane >= active && park(lane)) {
            return;
        }
        if (!running) {
            idle.countDown();
            return;
        }
        WarmUpPlan.Target target = plan.next();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setURI("/v1/invoke/" + target.uuid())
                .setIdleTimeout(target.timeout().plus(ANSWER_GRACE).toMillis())
                .putHeader(WarmUpGate.HEADER, secret)
                .putHeader("Content-Type", "application/json");
        long started = System.nanoTime();
        client.request(request)
                .compose(req -> target.body() == null
                        ? req.send()
                        : req.send(Buffer.buffer(target.body().getBytes(StandardCharsets.UTF_8))))
                .compose(response -> response.body()
                        .map(body -> new Answer(response.statusCode(), body.toString(StandardCharsets.UTF_8))))
                .recover(failure -> Future.succeededFuture(new Answer(0, failure.toString())))
                .onComplete(done -> {
                    Answer answer = done.result();
                    record(target, answer, Duration.ofNanos(System.nanoTime() - started));
                    if (answer.status() == 0) {
                        vertx.setTimer(NO_ANSWER_PAUSE_MILLIS, id -> send(lane));
                    } else {
                        send(lane);
                    }
                });
    }

    /** Parks a lane beyond the active ones; false when it may send after all (widened meanwhile, or stopping). */
    private synchronized boolean park(int lane) {
        if (lane < active || !running) {
            return false;
        }
        parked.add(lane);
        return true;
    }

    private record Answer(int status, String body) {}

    private void record(WarmUpPlan.Target target, Answer answer, Duration took) {
        if (answer.status() != 0) {
            answered.incrementAndGet();
        }
        if (answer.status() == 0 || answer.status() >= 500) {
            failed.incrementAndGet();
            LOG.debugf(
                    "warm-up invocation of %s failed (%s): %s",
                    target.name(),
                    answer.status() == 0 ? "no answer" : answer.status(),
                    answer.body().length() > 300 ? answer.body().substring(0, 300) + "..." : answer.body());
        }
        if (took.compareTo(target.timeout()) >= 0) {
            plan.timedOut(target);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
